package dev.framestream.engine.layers;

import java.util.Arrays;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * Max or average pooling over {@code k x k} windows with a stride, optional padding and ceil mode.
 *
 * <p>Shapes: input {@code C x H x W}, output {@code C x OH x OW} with
 * {@code OH = (H + 2 pad - k) / stride + 1}, the division rounded up in ceil mode, where a last
 * window that would start in the padding is dropped (PyTorch's and ONNX's rule). Padding is never
 * a window's maximum and never counts in its mean: a window's statistic is over the input values
 * it covers (ONNX's {@code count_include_pad=0}). A slice is a range of channels.
 *
 * <p>Backward sends each output's gradient to the window it came from: for max, all of it to the
 * window's maximum (the first one, on a tie), found again from the input and output rather than
 * stored; for average, an equal share to every value. Overlapping windows add up.
 */
public final class Pool2D implements ExampleLayer {

    /** Which statistic of the window the output keeps. */
    public enum Kind {
        MAX,
        AVERAGE
    }

    /** The window: side {@code size}, its {@code stride}, {@code pad} positions on every side (at most size / 2), ceil mode. */
    public record Window(int size, int stride, int pad, boolean ceil) {
        public Window {
            if (size < 1 || stride < 1 || pad < 0 || 2 * pad > size) {
                throw new IllegalArgumentException("pool window " + size + " stride " + stride + " pad " + pad
                        + ": needs size and stride of at least 1 and pad of at most half the size");
            }
        }

        /** Output positions along an input side of {@code in}; at least 1 when the padded side holds a window. */
        public int outputSide(int in) {
            int span = in + 2 * pad - size;
            int out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
            return ceil && (out - 1) * stride >= in + pad ? out - 1 : out;
        }
    }

    private final String name;
    private final Kind kind;
    private final Window window;
    private final Shape input;
    private final Shape output;
    private final int size;
    private final int stride;
    private final int pad;
    private final boolean fullWindows;
    private final int slices;
    private final int foldedWidth;       // the folded row in scratch: left padding, the input's width, fill to the last window's end
    private final Elementwise kernels;

    public Pool2D(String name, Kind kind, Shape input, Window window, Elementwise kernels) {
        this.name = name;
        this.kernels = kernels;
        this.kind = kind;
        this.window = window;
        this.input = input;
        this.size = window.size();
        this.stride = window.stride();
        this.pad = window.pad();
        this.output = new Shape(input.channels(), window.outputSide(input.height()), window.outputSide(input.width()));
        this.fullWindows = pad == 0 && (output.height() - 1) * stride + size <= input.height()
                && (output.width() - 1) * stride + size <= input.width();
        this.slices = Math.min(input.channels(), 8);
        this.foldedWidth = Math.max(pad + input.width(), (output.width() - 1) * stride + size);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return new LayerSpec.Pool(kind == Kind.MAX, size, stride, pad, window.ceil()).toString();
    }

    /**
     * Whether this is the common 2x2 stride-2 max-pool with every window inside the input: the
     * case with vector kernels, and the one a convolution can take into its store.
     */
    public boolean isPlainMax2x2() {
        return kind == Kind.MAX && size == 2 && stride == 2 && fullWindows;
    }

    /** The folded row and the slide along it, for any window but the plain 2x2 one. */
    @Override
    public int scratchFloats() {
        return isPlainMax2x2() ? 0 : foldedWidth + (output.width() - 1) * stride + 1;
    }

    @Override
    public Shape inputShape() {
        return input;
    }

    @Override
    public Shape outputShape() {
        return output;
    }

    @Override
    public int slices() {
        return slices;
    }

    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int channels = input.channels();
        int from = ExampleLayer.sliceStart(channels, slices, firstSlice);
        int to = ExampleLayer.sliceStart(channels, slices, endSlice);
        int inPlane = input.height() * input.width();
        int outPlane = output.height() * output.width();
        for (int c = from; c < to; c++) {
            int inBase = (example * channels + c) * inPlane;
            int outBase = (example * channels + c) * outPlane;
            if (isPlainMax2x2()) {
                maxPlane2x2(in, inBase, out, outBase);
            } else {
                poolPlane(in, inBase, out, outBase, scratch);
            }
        }
    }

    /** The common 2x2 stride-2 window: one vectorised kernel call per output row. */
    private void maxPlane2x2(float[] in, int inBase, float[] out, int outBase) {
        int width = input.width();
        int outWidth = output.width();
        for (int oh = 0; oh < output.height(); oh++) {
            int top = inBase + 2 * oh * width;
            kernels.maxPool2x2Row(in, top, top + width, out, outBase + oh * outWidth, outWidth);
        }
    }

    /*
     * Any other window in two passes, each a vector kernel: the rows a window covers are folded
     * into one row (column maxima or sums), then a window's width slides along it. The folded row
     * sits in scratch between fills that are never a maximum and add nothing, so padding and the
     * ceil-mode overhang need no bounds checks; output ow is the slide's value at ow * stride.
     * Windows per output position would redo each input value size^2 / stride^2 times, in scalar code.
     */
    private void poolPlane(float[] in, int inBase, float[] out, int outBase, float[] scratch) {
        boolean max = kind == Kind.MAX;
        int width = input.width();
        int outWidth = output.width();
        int slides = (outWidth - 1) * stride + 1;
        float fill = max ? Float.NEGATIVE_INFINITY : 0f;
        Arrays.fill(scratch, 0, pad, fill);
        Arrays.fill(scratch, pad + width, foldedWidth, fill);
        for (int oh = 0; oh < output.height(); oh++) {
            int top = Math.max(oh * stride - pad, 0);
            int rows = Math.min(oh * stride - pad + size, input.height()) - top;
            int outRow = outBase + oh * outWidth;
            if (max) {
                kernels.maxOverRows(in, inBase + top * width, width, rows, scratch, pad, width);
                kernels.slidingMax(scratch, 0, size, scratch, foldedWidth, slides);
                for (int ow = 0; ow < outWidth; ow++) {
                    out[outRow + ow] = scratch[foldedWidth + ow * stride];
                }
            } else {
                kernels.sumOverRows(in, inBase + top * width, width, rows, scratch, pad, width);
                kernels.slidingSum(scratch, 0, size, scratch, foldedWidth, slides);
                for (int ow = 0; ow < outWidth; ow++) {
                    int left = Math.max(ow * stride - pad, 0);
                    int columns = Math.min(ow * stride - pad + size, width) - left;
                    out[outRow + ow] = scratch[foldedWidth + ow * stride] / (rows * columns);
                }
            }
        }
    }

    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        if (gradIn == null) {
            return;
        }
        if (isPlainMax2x2()) {
            backward2x2(in, out, gradOut, gradIn, from, to);
            return;
        }
        int width = input.width();
        int inPlane = input.height() * width;
        int outPlane = output.height() * output.width();
        Arrays.fill(gradIn, from * input.size(), to * input.size(), 0f);
        for (int plane = from * input.channels(); plane < to * input.channels(); plane++) {
            int inBase = plane * inPlane;
            int outBase = plane * outPlane;
            for (int oh = 0; oh < output.height(); oh++) {
                int top = Math.max(oh * stride - pad, 0);
                int bottom = Math.min(oh * stride - pad + size, input.height());
                for (int ow = 0; ow < output.width(); ow++) {
                    int left = Math.max(ow * stride - pad, 0);
                    int right = Math.min(ow * stride - pad + size, width);
                    int o = outBase + oh * output.width() + ow;
                    if (kind == Kind.MAX) {
                        gradIn[argmax(in, inBase, top, bottom, left, right, out[o])] += gradOut[o];
                    } else {
                        float g = gradOut[o] / ((bottom - top) * (right - left));
                        for (int h = top; h < bottom; h++) {
                            for (int w = left; w < right; w++) {
                                gradIn[inBase + h * width + w] += g;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The common 2x2 stride-2 max-pool: each window is visited once and all four of its input
     * gradients written (the gradient to the first maximum, 0 to the rest), so no zero-fill pass
     * is needed except for a last odd row or column no window covers.
     */
    private void backward2x2(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to) {
        int width = input.width();
        int inPlane = input.height() * width;
        int outWidth = output.width();
        int outPlane = output.height() * outWidth;
        if (input.height() % 2 != 0 || width % 2 != 0) {
            Arrays.fill(gradIn, from * input.size(), to * input.size(), 0f);
        }
        for (int plane = from * input.channels(); plane < to * input.channels(); plane++) {
            for (int oh = 0; oh < output.height(); oh++) {
                int top = plane * inPlane + 2 * oh * width;
                kernels.maxPool2x2RowBackward(in, top, top + width, out, gradOut, plane * outPlane + oh * outWidth, gradIn, outWidth);
            }
        }
    }

    /** The first place in rows {@code [top, bottom)} and columns {@code [left, right)} of the plane at {@code base} that holds {@code max}. */
    private int argmax(float[] in, int base, int top, int bottom, int left, int right, float max) {
        int width = input.width();
        for (int h = top; h < bottom; h++) {
            for (int w = left; w < right; w++) {
                if (in[base + h * width + w] == max) {
                    return base + h * width + w;
                }
            }
        }
        return base + top * width + left;   // a NaN in the window: no value equals it, and the NaN spreads through training anyway
    }
}
