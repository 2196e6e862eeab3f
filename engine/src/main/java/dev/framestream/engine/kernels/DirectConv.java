package dev.framestream.engine.kernels;

/**
 * The direct convolution micro-kernel: 2 filters x 4 vectors of 8 output pixels, summed over a
 * table of taps (one tap = input channel, kernel row, kernel column) without lowering the input.
 * {@link DirectConvolution} drives it.
 */
public interface DirectConv {

    /** Filters per tile. */
    int FILTERS = 2;
    /** Output vectors per tile. */
    int VECTORS = 4;
    /** Output pixels per vector. */
    int LANES = 8;

    /**
     * For filter q < 2, vector v < 4 and lane l < 8:
     * {@code out[outOff + o[v] + q * outPlane + l] = max(floor, bias[biasOff + q] + sum over t of w[wOff + t * 2 + q] * src[srcOff + s[v] + taps[t] + l])}.
     *
     * @param s        where each output vector's window starts in {@code src}, relative to {@code srcOff}
     *                 (4 entries from {@code sOff})
     * @param taps     offset of every tap relative to a window start
     * @param w        weights of the 2 filters interleaved: tap-major, 2 values per tap
     * @param o        where each output vector goes for the first filter (4 entries from {@code oOff});
     *                 the second filter's is {@code outPlane} further
     * @param floor    0 to apply a ReLU as the tile is stored, negative infinity for the plain sums
     */
    void tile(float[] src, int srcOff, int[] s, int sOff, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
              float[] out, int outOff, int[] o, int oOff, int outPlane, float floor);
}
