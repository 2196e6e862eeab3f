package dev.framestream.cli;

import java.util.Locale;

import picocli.CommandLine.Option;

/**
 * {@code --input CxHxW}: the input size of a named net given with {@code --net} (RESNET18,
 * MOBILENETV2, ...), the same as writing {@code --net "RESNET18 in CxHxW"}.
 */
public final class InputOption {

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "Input size of a named --net (RESNET18, MOBILENETV2, SQUEEZENET11, RESNET8, LENET5), e.g. 3x96x96;"
                    + " a spec and a model file carry their own.")
    private String input;

    /** {@code net} with the input size added, or as it is without {@code --input}. */
    public String applyTo(String net) {
        if (input == null || input.isBlank()) {
            return net;
        }
        String trimmed = net.trim();
        if (trimmed.toLowerCase(Locale.ROOT).startsWith("in ") || trimmed.contains("|") || trimmed.toLowerCase(Locale.ROOT).endsWith(".onnx")
                || trimmed.toLowerCase(Locale.ROOT).endsWith(".fsm")) {
            throw new IllegalArgumentException("--input " + input + " sets the input of a named net; the --net \"" + net
                    + "\" gives its own (a spec starts with \"in CxHxW\", a model file has one)");
        }
        return trimmed + " in " + input.trim();
    }
}
