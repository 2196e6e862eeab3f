package dev.framestream.engine.kernels;

/**
 * The input and output transforms of Winograd F(4x4, 3x3) ({@link WinogradConvolution}), over
 * one block of tiles at once (one GEMM panel: {@link #TILES}), so the vector version works a
 * vector of tiles per instruction.
 *
 * <p>A tile is a 6x6 input window of the zero-bordered input; it yields a 4x4 output block. Its
 * 36 transformed values are indexed by position {@code xi = 6 r + s}. The convolution lays the
 * input out so that, for each window cell (i, j), the block's tiles read consecutive floats:
 * cell (i, j) of tile t is at {@code src[srcOff + window[6 i + j] + t]}. Tiles past the end of the
 * layer read stale values; their GEMM columns are independent and never placed.
 */
public interface WinogradTransform {

    /** Positions per tile: the 36 independent products of F(4x4, 3x3). */
    int POSITIONS = 36;
    /** Tiles per block: one GEMM panel. */
    int TILES = Gemm.PANEL_WIDTH;
    /** Output rows and columns per tile. */
    int TILE = 4;

    /*
     * The matrices, with the interpolation points 0, 1, -1, 2, -2 and infinity (Lavin and Gray):
     * V = B^T d B, U = G g G^T, Y = A^T (U . V) A.
     */
    float[][] B_T = {
            {4, 0, -5, 0, 1, 0},
            {0, -4, -4, 1, 1, 0},
            {0, 4, -4, -1, 1, 0},
            {0, -2, -1, 2, 1, 0},
            {0, 2, -1, -2, 1, 0},
            {0, 4, 0, -5, 0, 1}};
    double[][] G = {
            {1 / 4.0, 0, 0},
            {-1 / 6.0, -1 / 6.0, -1 / 6.0},
            {-1 / 6.0, 1 / 6.0, -1 / 6.0},
            {1 / 24.0, 1 / 12.0, 1 / 6.0},
            {1 / 24.0, -1 / 12.0, 1 / 6.0},
            {0, 0, 1}};
    float[][] A_T = {
            {1, 1, 1, 1, 1, 0},
            {0, 1, -1, 2, -2, 0},
            {0, 1, 1, 4, 4, 0},
            {0, 1, -1, 8, -8, 1}};

    /**
     * Deals one zero-bordered input row out to the 6 column phases of the tiles' windows:
     * {@code dst[dstOff + phaseRows[j] + tc] = row[rowOff + 4 tc + j]} for j &lt; 6 and tc &lt;
     * {@code tiles} ({@link WinogradInput} lays the input out with it).
     */
    void spread(float[] row, int rowOff, int tiles, float[] dst, int dstOff, int[] phaseRows);

    /**
     * V = B^T d B for the block's tiles of one channel: tile t's position xi goes to
     * {@code v[vOff + xi * vStride + t]}.
     */
    void input(float[] src, int srcOff, int[] window, float[] v, int vOff, int vStride);

    /**
     * Y = A^T M A for the block's tiles of one filter, without bias: tile t's position xi is at
     * {@code m[mOff + xi * mStride + t]}; its output (a, b) goes to {@code y[yOff + (4 a + b) * TILES + t]}.
     * M may be overwritten (it is scratch, used once).
     */
    void output(float[] m, int mOff, int mStride, float[] y, int yOff);

    /**
     * Like {@link #output} followed by a 2x2 max-pool: tile t's pooled value (a, b), the maximum of
     * outputs (2a..2a+1, 2b..2b+1), goes to {@code y[yOff + (2 a + b) * TILES + t]}. The rest of
     * Y's rows may be overwritten, as M may.
     */
    void outputPooled(float[] m, int mOff, int mStride, float[] y, int yOff);
}
