package dev.framestream.onnx;

import java.util.Arrays;

import dev.framestream.engine.tensor.Shape;

/**
 * Where a Conv or pooling node's window goes: its stride and padding in the engine's terms (the
 * same in both directions, the same on every side) and the output plane it gives without ceil
 * mode. ONNX's {@code auto_pad} is resolved to explicit pads first.
 */
record Window(int stride, int pad, int outHeight, int outWidth) {

    static Window of(Node node, int kernelHeight, int kernelWidth, Shape in) {
        long[] strides = node.integers("strides", new long[] {1, 1});
        if (strides.length != 2 || strides[0] != strides[1]) {
            throw node.unsupported("strides " + Arrays.toString(strides) + " (the same stride along H and W)");
        }
        int stride = (int) strides[0];
        long[] pads = pads(node, kernelHeight, kernelWidth, stride, in);
        if (pads.length != 4 || Arrays.stream(pads).anyMatch(p -> p != pads[0])) {
            throw node.unsupported("pads " + Arrays.toString(pads) + " [top, left, bottom, right] (the same padding on every side)");
        }
        int pad = (int) pads[0];
        int height = in.height() + 2 * pad - kernelHeight;
        int width = in.width() + 2 * pad - kernelWidth;
        if (height < 0 || width < 0) {
            throw node.malformed("its " + kernelHeight + "x" + kernelWidth + " window does not fit its input " + in);
        }
        return new Window(stride, pad, height / stride + 1, width / stride + 1);
    }

    /** Explicit pads {@code [top, left, bottom, right]}, from {@code pads} or {@code auto_pad}. */
    private static long[] pads(Node node, int kernelHeight, int kernelWidth, int stride, Shape in) {
        String autoPad = node.text("auto_pad", "NOTSET");
        return switch (autoPad) {
            case "NOTSET" -> node.integers("pads", new long[4]);
            case "VALID" -> new long[4];
            case "SAME_UPPER", "SAME_LOWER" -> {
                long[] height = same(in.height(), kernelHeight, stride, autoPad.equals("SAME_UPPER"));
                long[] width = same(in.width(), kernelWidth, stride, autoPad.equals("SAME_UPPER"));
                yield new long[] {height[0], width[0], height[1], width[1]};
            }
            default -> throw node.malformed("auto_pad \"" + autoPad + "\" is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        };
    }

    /** Begin and end padding that make the output ceil(size / stride); SAME_UPPER puts an odd extra at the end. */
    private static long[] same(int size, int kernel, int stride, boolean upper) {
        int out = (size + stride - 1) / stride;
        int total = Math.max(0, (out - 1) * stride + kernel - size);
        int small = total / 2;
        return upper ? new long[] {small, total - small} : new long[] {total - small, small};
    }
}
