package dev.framestream.engine;

/**
 * A plain float64 CNN written from the textbook formulas, independent of the engine's kernels,
 * packing and scheduling: the yardstick the engine's output is compared with.
 * Arrays are one example, NCHW without the batch: {@code [c][h][w]} flattened.
 */
public final class PlainCnn {

    private PlainCnn() {
    }

    public static double[] conv(double[] in, int c, int h, int w, float[] weight, float[] bias, int filters, int kh, int kw, int stride, int pad) {
        return conv(in, c, h, w, weight, bias, filters, kh, kw, stride, pad, 1);
    }

    /** With {@code groups} groups: filter f reads channels {@code [g·C/G, (g+1)·C/G)} of its group g = f / (F/G). */
    public static double[] conv(double[] in, int c, int h, int w, float[] weight, float[] bias, int filters, int kh, int kw, int stride, int pad,
                                int groups) {
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (w + 2 * pad - kw) / stride + 1;
        int groupChannels = c / groups;
        int groupFilters = filters / groups;
        double[] out = new double[filters * oh * ow];
        for (int f = 0; f < filters; f++) {
            int firstChannel = f / groupFilters * groupChannels;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double sum = bias[f];
                    for (int k = 0; k < groupChannels; k++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int iy = y * stride + i - pad;
                                int ix = x * stride + j - pad;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    sum += (double) weight[((f * groupChannels + k) * kh + i) * kw + j] * in[((firstChannel + k) * h + iy) * w + ix];
                                }
                            }
                        }
                    }
                    out[(f * oh + y) * ow + x] = sum;
                }
            }
        }
        return out;
    }

    public static double[] relu(double[] in) {
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.max(0, in[i]);
        }
        return out;
    }

    public static double[] pool(double[] in, int c, int h, int w, int size, int stride, boolean max) {
        return pool(in, c, h, w, size, stride, 0, false, max);
    }

    /** Windows over the padded input; a window's max or mean is over the input values it covers. */
    public static double[] pool(double[] in, int c, int h, int w, int size, int stride, int pad, boolean ceil, boolean max) {
        int oh = poolSide(h, size, stride, pad, ceil);
        int ow = poolSide(w, size, stride, pad, ceil);
        double[] out = new double[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int i = 0; i < size; i++) {
                        for (int j = 0; j < size; j++) {
                            int iy = y * stride - pad + i;
                            int ix = x * stride - pad + j;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                double v = in[(ch * h + iy) * w + ix];
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        }
                    }
                    out[(ch * oh + y) * ow + x] = max ? acc : acc / count;
                }
            }
        }
        return out;
    }

    /** PyTorch's output size: in ceil mode a last window must still start inside the input or its left padding. */
    public static int poolSide(int in, int size, int stride, int pad, boolean ceil) {
        double positions = (double) (in + 2 * pad - size) / stride;
        int out = (int) (ceil ? Math.ceil(positions) : Math.floor(positions)) + 1;
        return ceil && (out - 1) * stride >= in + pad ? out - 1 : out;
    }

    public static double[] globalAveragePool(double[] in, int c) {
        int plane = in.length / c;
        double[] out = new double[c];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < plane; i++) {
                out[ch] += in[ch * plane + i];
            }
            out[ch] /= plane;
        }
        return out;
    }

    public static double[] clip(double[] in, double min, double max) {
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.min(Math.max(in[i], min), max);
        }
        return out;
    }

    public static double[] leakyRelu(double[] in, double slope) {
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] > 0 ? in[i] : slope * in[i];
        }
        return out;
    }

    public static double[] sigmoid(double[] in) {
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = 1 / (1 + Math.exp(-in[i]));
        }
        return out;
    }

    public static double[] dense(double[] in, float[] weight, float[] bias, int outputs) {
        double[] out = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double sum = bias[o];
            for (int i = 0; i < in.length; i++) {
                sum += (double) weight[o * in.length + i] * in[i];
            }
            out[o] = sum;
        }
        return out;
    }

    public static double[] softmax(double[] in) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : in) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.exp(in[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < in.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** The gradients of {@link #conv}: returns dx and adds to dw ({@code F x C/G x KH x KW}) and db. */
    public static double[] convBackward(double[] in, int c, int h, int w, float[] weight, int filters, int kh, int kw, int stride, int pad,
                                        int groups, double[] gradOut, double[] gradWeight, double[] gradBias) {
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (w + 2 * pad - kw) / stride + 1;
        int groupChannels = c / groups;
        int groupFilters = filters / groups;
        double[] gradIn = new double[c * h * w];
        for (int f = 0; f < filters; f++) {
            int firstChannel = f / groupFilters * groupChannels;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double g = gradOut[(f * oh + y) * ow + x];
                    gradBias[f] += g;
                    for (int k = 0; k < groupChannels; k++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int iy = y * stride + i - pad;
                                int ix = x * stride + j - pad;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    int wi = ((f * groupChannels + k) * kh + i) * kw + j;
                                    int xi = ((firstChannel + k) * h + iy) * w + ix;
                                    gradWeight[wi] += g * in[xi];
                                    gradIn[xi] += g * weight[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return gradIn;
    }

    /** The gradients of {@link #dense}: returns dx and adds to dw ({@code O x I}) and db. */
    public static double[] denseBackward(double[] in, float[] weight, int outputs, double[] gradOut, double[] gradWeight, double[] gradBias) {
        double[] gradIn = new double[in.length];
        for (int o = 0; o < outputs; o++) {
            gradBias[o] += gradOut[o];
            for (int i = 0; i < in.length; i++) {
                gradWeight[o * in.length + i] += gradOut[o] * in[i];
                gradIn[i] += gradOut[o] * weight[o * in.length + i];
            }
        }
        return gradIn;
    }
}
