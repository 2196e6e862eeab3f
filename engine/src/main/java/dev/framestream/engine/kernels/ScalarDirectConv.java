package dev.framestream.engine.kernels;

/** The plain direct convolution tile: the oracle for {@link VectorDirectConv}. */
public final class ScalarDirectConv implements DirectConv {

    @Override
    public void tile(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
                     float[] out, int out0, int out1, int outPlane, float floor) {
        int[] at = {at0, at1};
        int[] to = {out0, out1};
        for (int v = 0; v < VECTORS; v++) {
            for (int q = 0; q < FILTERS; q++) {
                for (int l = 0; l < LANES; l++) {
                    float sum = sum(src, at[v] + l, rows, width, w, wOff + q, bias[biasOff + q]);
                    out[to[v] + q * outPlane + l] = Math.max(sum, floor);
                }
            }
        }
    }

    @Override
    public void tilePooled(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
                           float[] out, int out0, int outPlane) {
        for (int q = 0; q < FILTERS; q++) {
            for (int i = 0; i < LANES / 2; i++) {
                float max = 0f;   // the ReLU
                for (int at : new int[] {at0 + 2 * i, at0 + 2 * i + 1, at1 + 2 * i, at1 + 2 * i + 1}) {
                    max = Math.max(max, sum(src, at, rows, width, w, wOff + q, bias[biasOff + q]));
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
