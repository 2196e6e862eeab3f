package dev.framestream.engine.kernels;

/**
 * The direct convolution micro-kernel: 4 filters x 3 vectors of 8 output pixels, summed over a
 * table of taps (one tap = input channel, kernel row, kernel column) without lowering the input.
 * {@link DirectConvolution} drives it.
 */
public interface DirectConv {

    /** Filters per tile. */
    int FILTERS = 4;
    /** Output pixels per vector. */
    int LANES = 8;

    /**
     * For q < 4 and v < 3, lane l < 8:
     * {@code out[o[v] + q * outPlane + l] = bias[biasOff + q] + sum over t of w[wOff + t * 4 + q] * src[s[v] + taps[t] + l]}.
     *
     * @param s0 s1 s2  where each output vector's window starts in {@code src}
     * @param taps      offset of every tap relative to a window start
     * @param w         weights of the 4 filters interleaved: tap-major, 4 values per tap
     * @param o0 o1 o2  where each output vector goes for the first filter; filter q is {@code q * outPlane} further
     */
    void tile(float[] src, int s0, int s1, int s2, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
              float[] out, int o0, int o1, int o2, int outPlane);
}
