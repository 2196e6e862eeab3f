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

    /**
     * The same sums for 4 vectors that form two 2x2 pooling row pairs (vectors 0 and 1 are the top
     * and bottom rows of the first pair, 2 and 3 of the second), stored after a ReLU and a 2x2
     * stride-2 max-pool: for filter q, {@code out[outOff + q * outPlane + i]} for i < 4 is the
     * maximum of window i of the first pair (lanes 2i and 2i + 1 of its two rows), clamped at 0,
     * and for 4 <= i < 8 of window i - 4 of the second pair.
     */
    void tilePooled(float[] src, int srcOff, int[] s, int sOff, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                    float[] out, int outOff, int outPlane);
}
