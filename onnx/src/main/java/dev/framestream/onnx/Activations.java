package dev.framestream.onnx;

import java.util.Optional;
import java.util.function.BiFunction;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.framestream.engine.spec.LayerSpec;

/** Clip, LeakyRelu and Softmax nodes as engine activations. */
final class Activations {

    private Activations() {
    }

    /**
     * Bounds are attributes before opset 11 and optional inputs from it; a missing one is no bound.
     * Empty when neither bound is given: the node changes nothing.
     */
    static Optional<LayerSpec> clip(Node node, long opset, BiFunction<Node, String, TensorProto> constant) {
        float min = opset < 11 ? node.real("min", Float.NEGATIVE_INFINITY)
                : node.input(1).map(name -> scalar(node, name, constant)).orElse(Float.NEGATIVE_INFINITY);
        float max = opset < 11 ? node.real("max", Float.POSITIVE_INFINITY)
                : node.input(2).map(name -> scalar(node, name, constant)).orElse(Float.POSITIVE_INFINITY);
        if (!(min <= max)) {
            throw node.malformed("min " + min + " is above max " + max);
        }
        if (min == max) {
            throw node.unsupported("min = max = " + min + " (a constant output)");
        }
        if (min == 0 && max == Float.POSITIVE_INFINITY) {
            return Optional.of(new LayerSpec.Relu());
        }
        if (min == Float.NEGATIVE_INFINITY && max == Float.POSITIVE_INFINITY) {
            return Optional.empty();
        }
        // The engine's bounds are finite numbers; the largest float stands in for a missing one.
        return Optional.of(new LayerSpec.Clip(Math.max(min, -Float.MAX_VALUE), Math.min(max, Float.MAX_VALUE)));
    }

    static LayerSpec leakyRelu(Node node) {
        float slope = node.real("alpha", 0.01f);
        if (!(slope >= 0 && slope < 1)) {
            throw node.unsupported("alpha=" + slope + " (the engine's leaky ReLU takes a slope in [0, 1))");
        }
        return new LayerSpec.LeakyRelu(slope);
    }

    /**
     * The engine's softmax spans each example. Before opset 13 ONNX's spans every axis from
     * {@code axis} on; from 13 it spans that axis alone, which is the whole example only when the
     * example's other axes have size 1.
     *
     * @param dims the example's ONNX dimensions, batch excluded; {@code size} their product
     */
    static LayerSpec softmax(Node node, long opset, int rank, long[] dims, int size) {
        long axis = node.integer("axis", opset < 13 ? 1 : -1);
        long normalised = axis < 0 ? axis + rank : axis;
        boolean wholeExample = normalised >= 1 && normalised < rank
                && (opset < 13 ? normalised == 1 : dims[(int) normalised - 1] == size);
        if (!wholeExample) {
            throw node.unsupported("axis=" + axis + " on a rank-" + rank + " tensor (the engine's softmax spans each example, "
                    + "which is axis 1 of [N, D])");
        }
        return new LayerSpec.Softmax();
    }

    private static float scalar(Node node, String name, BiFunction<Node, String, TensorProto> constant) {
        float[] values = Tensors.floats(constant.apply(node, name));
        if (values.length != 1) {
            throw node.malformed("input \"" + name + "\" holds " + values.length + " values where a scalar goes");
        }
        return values[0];
    }
}
