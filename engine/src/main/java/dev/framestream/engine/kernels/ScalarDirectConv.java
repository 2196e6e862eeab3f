package dev.framestream.engine.kernels;

/** The plain direct convolution tile: the oracle for {@link VectorDirectConv}. */
public final class ScalarDirectConv implements DirectConv {

    @Override
    public void tile(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
                     float[] out, int out0, int out1, int outPlane, float floor) {
        for (int q = 0; q < FILTERS; q++) {
            for (int l = 0; l < LANES; l++) {
                out[out0 + q * outPlane + l] = Math.max(sum(src, at0 + l, rows, width, w, wOff + q, bias[biasOff + q]), floor);
                out[out1 + q * outPlane + l] = Math.max(sum(src, at1 + l, rows, width, w, wOff + q, bias[biasOff + q]), floor);
            }
        }
    }

    @Override
    public void tilePooled(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
                           float[] out, int out0, int outPlane, float[] spill, int spillOff) {
        for (int q = 0; q < FILTERS; q++) {
            for (int i = 0; i < LANES / 2; i++) {
                float max = 0f;   // the ReLU
                for (int l = 2 * i; l < 2 * i + 2; l++) {
                    max = Math.max(max, sum(src, at0 + l, rows, width, w, wOff + q, bias[biasOff + q]));
                    max = Math.max(max, sum(src, at1 + l, rows, width, w, wOff + q, bias[biasOff + q]));
                }
                out[out0 + q * outPlane + i] = max;
            }
        }
    }

    /** One output pixel of one filter: its window starts at {@code at}; the filter's weights are every 4th from {@code wOff}. */
    private static float sum(float[] src, int at, int[] rows, int width, float[] w, int wOff, float bias) {
        float sum = bias;
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < width; j++) {
                sum += w[wOff + (r * width + j) * FILTERS] * src[at + rows[r] + j];
            }
        }
        return sum;
    }
}
