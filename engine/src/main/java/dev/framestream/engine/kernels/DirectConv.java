package dev.framestream.engine.kernels;

/**
 * The direct convolution micro-kernel: 4 filters x 2 vectors of {@link #LANES} output pixels, summed over the
 * kernel's rows (one row = input channel and kernel row, {@code width} taps wide) without lowering
 * the input. {@link DirectConvolution} drives it.
 */
public interface DirectConv {

    /** Filters per tile. */
    int FILTERS = 4;
    /** Output vectors per tile. */
    int VECTORS = 2;
    /** Output pixels per vector ({@link VectorWidth}). */
    int LANES = VectorWidth.FLOATS;
    /** Scratch floats {@link #tilePooled} may need. */
    int SPILL = FILTERS * LANES;

    /**
     * For filter q < 4, vector v < 2 (window start {@code at[v]}: {@code at0} or {@code at1}) and
     * lane l &lt; LANES, with tap index {@code t = r * width + j}:
     * {@code sum = bias[biasOff + q] + sum over rows r and columns j < width of w[wOff + t * 4 + q] * src[at[v] + rows[r] + j + l]},
     * stored as {@code out[out[v] + q * outPlane + l] = max(floor, sum)}.
     *
     * @param rows     offset of every kernel row relative to a window start
     * @param width    taps per kernel row: the kernel width
     * @param w        weights of the 4 filters interleaved: tap-major, 4 values per tap
     * @param out0     where vector 0 goes for the first filter; each further filter's is {@code outPlane} further
     * @param out1     the same for vector 1
     * @param floor    0 to apply a ReLU as the tile is stored, negative infinity for the plain sums
     */
    void tile(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
              float[] out, int out0, int out1, int outPlane, float floor);

    /**
     * The same sums for two vectors that are the top and bottom rows of four 2x2 pooling windows,
     * stored after a ReLU and the max-pool: for filter q and i &lt; LANES / 2,
     * {@code out[out0 + q * outPlane + i]} is the maximum of lanes 2i and 2i + 1 of both vectors,
     * clamped at 0.
     *
     * @param spill  scratch of {@link #SPILL} floats from {@code spillOff}, for stores at the end of {@code out}
     */
    void tilePooled(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
                    float[] out, int out0, int outPlane, float[] spill, int spillOff);
}
