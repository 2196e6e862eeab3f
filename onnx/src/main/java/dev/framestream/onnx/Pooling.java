package dev.framestream.onnx;

import java.util.Arrays;

import dev.framestream.engine.layers.Pool2D;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/** MaxPool and AveragePool nodes as engine pooling layers: square windows, the same padding on every side, ceil mode. */
final class Pooling {

    private Pooling() {
    }

    static LayerSpec.Pool pool(Node node, boolean max, Shape in) {
        long[] kernel = node.integers("kernel_shape", null);
        if (kernel == null || kernel.length != 2) {
            throw kernel == null ? node.malformed("no kernel_shape") : node.unsupported("kernel_shape " + Arrays.toString(kernel) + " (2-D pooling only)");
        }
        if (kernel[0] != kernel[1]) {
            throw node.unsupported("kernel_shape " + Arrays.toString(kernel) + " (square windows only)");
        }
        node.requireAll("dilations", 1, "dilated pooling");
        if (node.integer("storage_order", 0) != 0) {
            throw node.unsupported("storage_order=1");
        }
        int size = (int) kernel[0];
        Window window = Window.of(node, size, size, in);
        if (2 * window.pad() > size) {
            throw node.unsupported("pads " + window.pad() + " on a " + size + "x" + size + " window (padding of at most half the window)");
        }
        boolean ceil = node.integer("ceil_mode", 0) != 0;
        Pool2D.Window pooled = new Pool2D.Window(size, window.stride(), window.pad(), ceil);
        boolean windowsInside = window.pad() == 0
                && (pooled.outputSide(in.height()) - 1) * window.stride() + size <= in.height()
                && (pooled.outputSide(in.width()) - 1) * window.stride() + size <= in.width();
        if (!max && node.integer("count_include_pad", 0) != 0 && !windowsInside) {
            throw node.unsupported("count_include_pad=1 where windows reach past the input (the engine averages the values a"
                    + " window covers, ONNX's default count_include_pad=0)");
        }
        return new LayerSpec.Pool(max, size, window.stride(), window.pad(), ceil);
    }
}
