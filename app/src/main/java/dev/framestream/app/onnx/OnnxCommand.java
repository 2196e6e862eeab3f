package dev.framestream.app.onnx;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.media.PixelFormat;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.model.Preprocessing;
import dev.framestream.model.TrainingSummary;
import dev.framestream.onnx.OnnxExport;
import dev.framestream.onnx.OnnxImport;
import dev.framestream.onnx.OnnxModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code framestream onnx export|import}: model files to and from ONNX. */
@Command(name = "onnx", mixinStandardHelpOptions = true,
        description = "Models to and from ONNX: serve ours in ONNX Runtime or OpenCV DNN, or theirs in framestream.",
        subcommands = {OnnxCommand.Export.class, OnnxCommand.Import.class, CommandLine.HelpCommand.class})
public final class OnnxCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A model file as ONNX, its class names and preprocessing in the metadata. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a framestream model file as an ONNX model (opset 13): input \"input\" [batch, C, H, W] of preprocessed",
                    "floats, output \"output\" [batch, classes]. The class names and the preprocessing the model expects travel as",
                    "metadata (framestream.classes, framestream.preprocessing).",
                    "",
                    "Example: framestream onnx export --model digits.fsm --out digits.onnx"})
    static final class Export implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "FILE", required = true, defaultValue = "${env:FRAMESTREAM_MODEL}",
                description = "The model file (.fsm) to export.")
        private Path modelFile;

        @Option(names = "--out", paramLabel = "FILE", required = true, defaultValue = "${env:FRAMESTREAM_OUT}",
                description = "Where the .onnx file goes.")
        private Path out;

        @Override
        public Integer call() throws Exception {
            Model model = ModelFile.load(modelFile);
            OnnxExport.write(model.network(), Map.of("framestream.classes", String.join(",", model.classNames()),
                    "framestream.preprocessing", model.preprocessing().toString(),
                    "framestream.model", model.name() + " v" + model.version()), out);
            Shape in = model.network().inputShape();
            System.out.printf("wrote %s: %s v%d, input [batch, %d, %d, %d] after preprocessing %s, output [batch, %d] (%s)%n", out,
                    model.name(), model.version(), in.channels(), in.height(), in.width(), model.preprocessing(),
                    model.classNames().size(), String.join(", ", model.classNames()));
            return 0;
        }
    }

    /** An ONNX model as version 1 of a framestream model file. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Turn an ONNX model into a framestream model file (version 1), which classify --model serves and",
                    "train --from-model trains on. The ONNX graph must be a chain of the operators the engine has; the command lists",
                    "any it lacks. ONNX says nothing of labels or pixels: give the class names and the preprocessing the model was",
                    "trained with.",
                    "",
                    "Example: framestream onnx import --onnx net.onnx --out net.fsm --classes cat,dog --colour RGB8 \\",
                    "           --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225"})
    static final class Import implements Callable<Integer> {
        @Option(names = "--onnx", paramLabel = "FILE", required = true, defaultValue = "${env:FRAMESTREAM_ONNX}",
                description = "The .onnx model.")
        private Path onnx;

        @Option(names = "--out", paramLabel = "FILE", required = true, defaultValue = "${env:FRAMESTREAM_OUT}",
                description = "Where the model file (.fsm) goes.")
        private Path out;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "${env:FRAMESTREAM_NAME}",
                description = "The model's name (default: the file name without .onnx).")
        private String name;

        @Option(names = "--classes", paramLabel = "NAME", split = ",", defaultValue = "${env:FRAMESTREAM_CLASSES}",
                description = "Class names in output order (default: those framestream's export wrote into the file, else 0, 1, 2, ...).")
        private List<String> classes;

        @Option(names = "--colour", paramLabel = "FORMAT", defaultValue = "${env:FRAMESTREAM_COLOUR}",
                description = "Channel order the model takes: GRAY8, BGR8 or RGB8 (default: GRAY8 for 1 channel, BGR8 for 3).")
        private PixelFormat colour;

        @Option(names = "--scale", paramLabel = "X", defaultValue = "${env:FRAMESTREAM_SCALE:-0.00392156862745098}",
                description = "Pixel values (0-255) are multiplied by this first (default: 1/255).")
        private float scale;

        @Option(names = "--mean", paramLabel = "M", split = ",", defaultValue = "${env:FRAMESTREAM_MEAN}",
                description = "Then minus this, per channel in the model's order (default: none).")
        private float[] mean;

        @Option(names = "--std", paramLabel = "S", split = ",", defaultValue = "${env:FRAMESTREAM_STD}",
                description = "Then divided by this, per channel (default: none).")
        private float[] std;

        @Override
        public Integer call() throws Exception {
            OnnxModel imported = OnnxImport.read(onnx, Kernels.best());
            Network network = imported.network();
            Shape in = network.inputShape();
            if (in.isFlat() || in.channels() != 1 && in.channels() != 3) {
                throw new IllegalArgumentException(onnx + " takes " + in + "; framestream serves images of 1 or 3 channels, [N, C, H, W]");
            }
            PixelFormat format = colour != null ? colour : in.channels() == 1 ? PixelFormat.GRAY8 : PixelFormat.BGR8;
            if (format.channels() != in.channels()) {
                throw new IllegalArgumentException("--colour " + format + " has " + format.channels() + " channels; " + onnx + " takes "
                        + in.channels());
            }
            Preprocessing preprocessing = new Preprocessing(in.width(), in.height(), 0, format, scale,
                    mean == null ? new float[0] : mean, std == null ? new float[0] : std);
            int outputs = network.outputShape().size();
            String exported = imported.metadata().get("framestream.classes");
            List<String> classNames = classes != null ? classes
                    : exported != null ? List.of(exported.split(",", -1)) : Model.numberedClasses(outputs);
            if (classNames.size() != outputs) {
                throw new IllegalArgumentException(onnx + " has " + outputs + " outputs; --classes gives " + classNames.size()
                        + " names " + classNames);
            }
            String modelName = name != null ? name : onnx.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
            ModelFile.save(new Model(modelName, 1, OptionalLong.empty(), Instant.now(), network, classNames, preprocessing,
                    TrainingSummary.none()), out);
            System.out.printf("wrote %s: %s v1, \"%s\", %s, %d classes; preprocessing %s%n", out, modelName, network.spec(),
                    imported.opset() < 13 ? "from opset " + imported.opset() : "opset " + imported.opset(), outputs, preprocessing);
            return 0;
        }
    }
}
