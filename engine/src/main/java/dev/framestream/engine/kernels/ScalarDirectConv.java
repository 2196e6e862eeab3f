package dev.framestream.engine.kernels;

/** The plain direct convolution tile: the oracle for {@link VectorDirectConv}. */
public final class ScalarDirectConv implements DirectConv {

    @Override
    public void tile(float[] src, int s0, int s1, int s2, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                     float[] out, int o0, int o1, int o2, int outPlane) {
        int[] starts = {s0, s1, s2};
        int[] outs = {o0, o1, o2};
        for (int v = 0; v < 3; v++) {
            for (int q = 0; q < FILTERS; q++) {
                for (int l = 0; l < LANES; l++) {
                    float sum = bias[biasOff + q];
                    for (int t = 0; t < taps.length; t++) {
                        sum += w[wOff + t * FILTERS + q] * src[starts[v] + taps[t] + l];
                    }
                    out[outs[v] + q * outPlane + l] = sum;
                }
            }
        }
    }
}
