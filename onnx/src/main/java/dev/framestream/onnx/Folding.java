package dev.framestream.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * Arithmetic the import folds into a layer's weights instead of running: a bias addition, Gemm's
 * alpha and beta, and the transposes between ONNX's and the engine's layouts; and a batch
 * normalisation's tensors as a batchnorm layer's.
 */
final class Folding {

    private Folding() {
    }

    /**
     * Adds {@code factor · c} to {@code bias}: an {@code Add(x, b)} after a Conv or fc, or Gemm's
     * {@code beta · C}. c must broadcast to one value per output channel:
     * a scalar, or a tensor whose only dimension above 1 is the channel axis, counted
     * {@code channelAxisFromEnd} from the end of a full-rank shape.
     */
    static void broadcastInto(Node node, float[] bias, TensorProto c, float factor, int channelAxisFromEnd) {
        int[] dims = Tensors.dims(c);
        float[] values = Tensors.floats(c);
        boolean perChannel = values.length == bias.length && dims.length >= channelAxisFromEnd
                && dims[dims.length - channelAxisFromEnd] == bias.length;
        if (values.length != 1 && !perChannel) {
            throw node.unsupported("adding a tensor of dimensions " + Arrays.toString(dims)
                    + " (only a bias: one value, or one per output channel, broadcast over the batch)");
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] += factor * values[values.length == 1 ? 0 : i];
        }
    }

    /**
     * {@code BatchNormalization} as a batchnorm layer with its running averages. ONNX's momentum
     * weighs the running value ({@code running · m + batch · (1 - m)}), the engine's the batch.
     */
    static OperatorMapping.Step batchNormLayer(Node node, Shape shape, BiFunction<Node, String, TensorProto> constant) {
        float[][] inputs = batchNormInputs(node, shape.channels(), constant);
        float epsilon = node.real("epsilon", 1e-5f);
        float momentum = Float.parseFloat(String.format(java.util.Locale.ROOT, "%.6g", 1 - (double) node.real("momentum", 0.9f)));
        if (!(epsilon > 0) || !(momentum > 0 && momentum <= 1)) {
            throw node.malformed("epsilon " + epsilon + " or momentum " + node.real("momentum", 0.9f) + " is out of range");
        }
        return new OperatorMapping.Step(new LayerSpec.BatchNorm(epsilon, momentum), List.of(), Arrays.asList(inputs));
    }

    /** The node's scale, B, mean and var, one value per channel each. */
    private static float[][] batchNormInputs(Node node, int channels, BiFunction<Node, String, TensorProto> constant) {
        if (node.integer("training_mode", 0) != 0) {
            throw node.unsupported("training_mode=1");
        }
        if (node.integer("spatial", 1) != 1) {
            throw node.unsupported("spatial=0 (statistics per value rather than per channel)");
        }
        float[][] inputs = new float[4][];
        String[] names = {"scale", "B", "mean", "var"};
        for (int i = 0; i < 4; i++) {
            int at = i + 1;
            String name = node.input(at).orElseThrow(() -> node.malformed("no " + names[at - 1] + " input"));
            inputs[i] = Tensors.floats(constant.apply(node, name));
            if (inputs[i].length != channels) {
                throw node.malformed(names[i] + " has " + inputs[i].length + " values for " + channels + " channels");
            }
        }
        return inputs;
    }

    /** A {@code rows x columns} row-major matrix transposed. */
    static float[] transpose(float[] matrix, int rows, int columns) {
        float[] transposed = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c * rows + r] = matrix[r * columns + c];
            }
        }
        return transposed;
    }

    static void scale(float[] values, float factor) {
        if (factor != 1f) {
            for (int i = 0; i < values.length; i++) {
                values[i] *= factor;
            }
        }
    }
}
