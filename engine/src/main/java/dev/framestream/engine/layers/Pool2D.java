package dev.framestream.engine.layers;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.tensor.Shape;

/**
 * Max or average pooling over {@code k x k} windows with a stride, no padding.
 *
 * <p>Shapes: input {@code C x H x W}, output {@code C x OH x OW} with
 * {@code OH = (H - k) / stride + 1}. A slice is a range of channels.
 *
 * <p>Backward sends each output's gradient to the window it came from: for max, all of it to the
 * window's maximum (the first one, on a tie), found again from the input and output rather than
 * stored; for average, an equal share to every value. Overlapping windows add up.
 */
public final class Pool2D implements ExampleLayer {

    /** Which statistic of the window the output keeps. */
    public enum Kind {
        MAX("maxpool"),
        AVERAGE("avgpool");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        /** The spec keyword, e.g. {@code maxpool}. */
        public String keyword() {
            return keyword;
        }
    }

    private final String name;
    private final Kind kind;
    private final Shape input;
    private final Shape output;
    private final int size;
    private final int stride;
    private final int slices;
    private final Elementwise kernels;

    public Pool2D(String name, Kind kind, Shape input, int size, int stride, Elementwise kernels) {
        this.name = name;
        this.kernels = kernels;
        this.kind = kind;
        this.input = input;
        this.size = size;
        this.stride = stride;
        this.output = new Shape(input.channels(), (input.height() - size) / stride + 1, (input.width() - size) / stride + 1);
        this.slices = Math.min(input.channels(), 8);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return kind.keyword() + " " + size + (stride != size ? " stride " + stride : "");
    }

    public Kind kind() {
        return kind;
    }

    /** Window side, k. */
    public int size() {
        return size;
    }

    public int stride() {
        return stride;
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
            if (kind == Kind.MAX && size == 2 && stride == 2) {
                maxPlane2x2(in, inBase, out, outBase);
            } else if (kind == Kind.MAX) {
                maxPlane(in, inBase, out, outBase);
            } else {
                averagePlane(in, inBase, out, outBase);
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

    private void maxPlane(float[] in, int inBase, float[] out, int outBase) {
        int width = input.width();
        for (int oh = 0; oh < output.height(); oh++) {
            for (int ow = 0; ow < output.width(); ow++) {
                int corner = inBase + oh * stride * width + ow * stride;
                float max = Float.NEGATIVE_INFINITY;
                for (int dh = 0; dh < size; dh++) {
                    for (int dw = 0; dw < size; dw++) {
                        max = Math.max(max, in[corner + dh * width + dw]);
                    }
                }
                out[outBase + oh * output.width() + ow] = max;
            }
        }
    }

    private void averagePlane(float[] in, int inBase, float[] out, int outBase) {
        int width = input.width();
        float scale = 1f / (size * size);
        for (int oh = 0; oh < output.height(); oh++) {
            for (int ow = 0; ow < output.width(); ow++) {
                int corner = inBase + oh * stride * width + ow * stride;
                float sum = 0f;
                for (int dh = 0; dh < size; dh++) {
                    for (int dw = 0; dw < size; dw++) {
                        sum += in[corner + dh * width + dw];
                    }
                }
                out[outBase + oh * output.width() + ow] = sum * scale;
            }
        }
    }

    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        if (gradIn == null) {
            return;
        }
        if (kind == Kind.MAX && size == 2 && stride == 2) {
            backward2x2(in, out, gradOut, gradIn, from, to);
            return;
        }
        int width = input.width();
        int inPlane = input.height() * width;
        int outPlane = output.height() * output.width();
        java.util.Arrays.fill(gradIn, from * input.size(), to * input.size(), 0f);
        float share = 1f / (size * size);
        for (int plane = from * input.channels(); plane < to * input.channels(); plane++) {
            int inBase = plane * inPlane;
            int outBase = plane * outPlane;
            for (int oh = 0; oh < output.height(); oh++) {
                for (int ow = 0; ow < output.width(); ow++) {
                    int o = outBase + oh * output.width() + ow;
                    int corner = inBase + oh * stride * width + ow * stride;
                    if (kind == Kind.MAX) {
                        gradIn[argmax(in, corner, out[o])] += gradOut[o];
                    } else {
                        float g = gradOut[o] * share;
                        for (int dh = 0; dh < size; dh++) {
                            for (int dw = 0; dw < size; dw++) {
                                gradIn[corner + dh * width + dw] += g;
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
            java.util.Arrays.fill(gradIn, from * input.size(), to * input.size(), 0f);
        }
        for (int plane = from * input.channels(); plane < to * input.channels(); plane++) {
            for (int oh = 0; oh < output.height(); oh++) {
                int top = plane * inPlane + 2 * oh * width;
                kernels.maxPool2x2RowBackward(in, top, top + width, out, gradOut, plane * outPlane + oh * outWidth, gradIn, outWidth);
            }
        }
    }

    /** The first place in the window at {@code corner} that holds its maximum {@code max}. */
    private int argmax(float[] in, int corner, float max) {
        int width = input.width();
        for (int dh = 0; dh < size; dh++) {
            for (int dw = 0; dw < size; dw++) {
                if (in[corner + dh * width + dw] == max) {
                    return corner + dh * width + dw;
                }
            }
        }
        return corner;   // a NaN in the window: no value equals it, and the NaN spreads through training anyway
    }
}
