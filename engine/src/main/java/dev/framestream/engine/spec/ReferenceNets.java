package dev.framestream.engine.spec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.framestream.engine.tensor.Shape;

/** The reference networks of docs/design.md, on which benchmarks and accuracy goals are stated. */
public final class ReferenceNets {

    /** Handwritten digits and similar small grey images: 1x28x28, 10 classes. */
    public static final String DIGITS = "in 1x28x28 | conv 8 5x5 | relu | maxpool 2 | conv 16 5x5 | relu | maxpool 2"
            + " | flatten | fc 128 | relu | fc 10 | softmax";

    /** Camera crops: 3x64x64 colour, three 3x3 conv blocks, 10 classes. */
    public static final String CAMERA = "in 3x64x64"
            + " | conv 32 3x3 pad 1 | relu | maxpool 2"
            + " | conv 64 3x3 pad 1 | relu | maxpool 2"
            + " | conv 128 3x3 pad 1 | relu | maxpool 2"
            + " | flatten | fc 256 | relu | fc 10 | softmax";

    private ReferenceNets() {
    }

    /** The named networks besides DIGITS and CAMERA, which take an input size and a class count. */
    public static final List<String> NAMED = List.of("RESNET18", "RESNET8", "MOBILENETV2", "SQUEEZENET11", "LENET5");

    /**
     * The spec of a network by name (case-insensitive), if {@code name} is one: {@code DIGITS},
     * {@code CAMERA}, or one of {@link #NAMED}, optionally followed by {@code in CxHxW} and
     * {@code classes N} (for example {@code RESNET18 in 3x96x96 classes 10}; by default
     * 3x224x224 and 1,000 classes for the ImageNet nets, 3x32x32 and 10 for RESNET8, 1x28x28 and
     * 10 for LENET5).
     */
    public static Optional<ArchitectureSpec> byName(String name) {
        return byName(name, 0);
    }

    /** {@link #byName(String)}, a named net not told its class count getting {@code classes} (0: its default). */
    public static Optional<ArchitectureSpec> byName(String name, int classes) {
        String[] words = name.trim().split("\\s+");
        String first = words[0].toUpperCase(Locale.ROOT);
        if (words.length > 1 && (first.equals("DIGITS") || first.equals("CAMERA"))) {
            throw new IllegalArgumentException(first + " has a fixed input and 10 classes; for another size or class count take one of "
                    + String.join(", ", NAMED) + ", or write a spec");
        }
        if (words.length == 1 && first.equals("DIGITS")) {
            return Optional.of(ArchitectureSpec.parse(DIGITS));
        }
        if (words.length == 1 && first.equals("CAMERA")) {
            return Optional.of(ArchitectureSpec.parse(CAMERA));
        }
        Optional<NamedNets.Net> net = NamedNets.Net.named(first);
        if (net.isEmpty()) {
            return Optional.empty();
        }
        Shape input = net.get().input;
        classes = classes > 0 ? classes : net.get().classes;
        for (int i = 1; i < words.length; i += 2) {
            String option = words[i].toLowerCase(Locale.ROOT);
            if (i + 1 >= words.length || !(option.equals("in") || option.equals("classes"))) {
                throw new IllegalArgumentException("\"" + name + "\": after the net's name come \"in CxHxW\" and \"classes N\","
                        + " e.g. \"" + first + " in 3x96x96 classes 10\"");
            }
            if (option.equals("in")) {
                input = ArchitectureSpec.parse("in " + words[i + 1]).input();
            } else {
                classes = classes(name, words[i + 1]);
            }
        }
        String text = NamedNets.text(net.get(), input, classes);
        try {
            return Optional.of(ArchitectureSpec.parse(text));
        } catch (SpecParseException e) {
            throw new IllegalStateException(first + " wrote a spec it cannot parse: " + e.getMessage(), e);
        }
    }

    private static int classes(String name, String count) {
        try {
            int classes = Integer.parseInt(count);
            if (classes >= 2) {
                return classes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("\"" + name + "\": classes must be a whole number of at least 2, got \"" + count + "\"");
    }
}
