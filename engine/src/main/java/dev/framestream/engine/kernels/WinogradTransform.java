package dev.framestream.engine.kernels;

/**
 * The input and output transforms of Winograd F(2x2, 3x3) ({@link WinogradConvolution}), over a
 * run of neighbouring tiles at once so the vector version works 8 tiles per instruction.
 *
 * <p>A tile is a 4x4 input window at an even row and column of the zero-bordered input; it yields
 * a 2x2 output block. Its 16 transformed values are indexed by position {@code xi = 4 r + s}.
 * Inputs come as each padded row split into its even and odd columns, so tile {@code t} of a run
 * reads columns {@code t} and {@code t + 1} of both halves: contiguous vectors, no gathers.
 */
public interface WinogradTransform {

    /** Positions per tile: the 16 independent products of F(2x2, 3x3). */
    int POSITIONS = 16;

    /**
     * V = B^T d B for {@code count} tiles of one channel and one tile row.
     *
     * @param src        padded input rows, split into halves
     * @param evenOff    where the even half of the tile row's first input row starts, at the run's first tile
     * @param oddOff     the same for the odd half
     * @param rowStride  floats from one padded row to the next
     * @param v          output: tile i's position xi goes to {@code v[vOff + xi * vStride + i]}
     */
    void input(float[] src, int evenOff, int oddOff, int rowStride, int count, float[] v, int vOff, int vStride);

    /**
     * Y = A^T M A + bias for {@code count} neighbouring tiles of one filter and one tile row,
     * written into the output plane: tile i's top pair at {@code out[topOff + 2 i]} and
     * {@code out[topOff + 2 i + 1]}, its bottom pair the same from {@code bottomOff}.
     *
     * @param m          tile i's position xi at {@code m[mOff + xi * mStride + i]}
     * @param columns    output columns to write from {@code topOff}: {@code 2 count}, or one less
     *                   when an odd output width cuts the last tile in half
     * @param bottomOff  -1 when an odd output height leaves the tiles without their bottom row
     * @param relu       write max(y, 0) instead of y
     */
    void output(float[] m, int mOff, int mStride, int count, float bias, boolean relu,
                float[] out, int topOff, int bottomOff, int columns);

    /**
     * Like {@link #output} followed by ReLU and a 2x2 max-pool, whose windows are exactly the
     * tiles: tile i's pooled value max(0, max of its 2x2 block) goes to {@code out[outOff + i]}.
     */
    void outputPooled(float[] m, int mOff, int mStride, int count, float bias, float[] out, int outOff);
}
