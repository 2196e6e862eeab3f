package dev.framestream.engine.kernels;

/** The plain direct convolution tile: the oracle for {@link VectorDirectConv}. */
public final class ScalarDirectConv implements DirectConv {

    @Override
    public void tile(float[] src, int srcOff, int[] s, int sOff, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                     float[] out, int outOff, int[] o, int oOff, int outPlane, float floor) {
        tile(src, srcOff, s, sOff, taps, w, wOff, bias, biasOff, out, outOff, o, oOff, outPlane, floor, FILTERS);
    }

    /** The first {@code filters} of the tile's filters (the pooled tile takes one at a time). */
    private static void tile(float[] src, int srcOff, int[] s, int sOff, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                             float[] out, int outOff, int[] o, int oOff, int outPlane, float floor, int filters) {
        for (int v = 0; v < VECTORS; v++) {
            for (int q = 0; q < filters; q++) {
                for (int l = 0; l < LANES; l++) {
                    float sum = bias[biasOff + q];
                    for (int t = 0; t < taps.length; t++) {
                        sum += w[wOff + t * FILTERS + q] * src[srcOff + s[sOff + v] + taps[t] + l];
                    }
                    out[outOff + o[oOff + v] + q * outPlane + l] = Math.max(sum, floor);
                }
            }
        }
    }

    @Override
    public void tilePooled(float[] src, int srcOff, int[] s, int sOff, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                           float[] out, int outOff, int outPlane) {
        float[] sums = new float[VECTORS * LANES];
        int[] rows = new int[VECTORS];
        for (int v = 0; v < VECTORS; v++) {
            rows[v] = v * LANES;
        }
        for (int q = 0; q < FILTERS; q++) {
            // The filter's plain sums, laid out one vector after another, then pooled window by window.
            tile(src, srcOff, s, sOff, taps, w, wOff + q, bias, biasOff + q, sums, 0, rows, 0, 0, Float.NEGATIVE_INFINITY, 1);
            for (int pair = 0; pair < 2; pair++) {
                for (int i = 0; i < 4; i++) {
                    int top = 2 * pair * LANES + 2 * i;
                    int bottom = top + LANES;
                    float max = Math.max(Math.max(sums[top], sums[top + 1]), Math.max(sums[bottom], sums[bottom + 1]));
                    out[outOff + q * outPlane + 4 * pair + i] = Math.max(max, 0f);
                }
            }
        }
    }
}
