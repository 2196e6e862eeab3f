package dev.framestream.engine.kernels;

/** The plain direct convolution tile: the oracle for {@link VectorDirectConv}. */
public final class ScalarDirectConv implements DirectConv {

    @Override
    public void tile(float[] src, int srcOff, int[] s, int sOff, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                     float[] out, int outOff, int[] o, int oOff, int outPlane, float floor) {
        for (int v = 0; v < VECTORS; v++) {
            for (int q = 0; q < FILTERS; q++) {
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
}
