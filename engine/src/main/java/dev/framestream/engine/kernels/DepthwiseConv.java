package dev.framestream.engine.kernels;

/**
 * The 3x3 depthwise convolution kernel: one output row of one channel from the three input rows
 * under it, all nine taps summed in registers and the row stored once. {@link GroupedConvolution}
 * drives it where each filter sees one channel.
 */
public interface DepthwiseConv {

    /**
     * For x &lt; {@code width}: {@code out[outOff + x] = max(floor, bias + sum over i, j < 3 of
     * w[wOff + 3 i + j] · src[top + i · rowStride + stride · x + j])}.
     *
     * @param top       where the window of output 0 starts in the (zero-bordered) input
     * @param rowStride floats from one input row to the next
     * @param stride    the convolution's stride, 1 or more
     * @param floor     0 to apply a ReLU as the row is stored, negative infinity for the plain sums
     */
    void row3x3(float[] src, int top, int rowStride, int stride, float[] w, int wOff, float bias, float[] out, int outOff, int width,
                float floor);

    /**
     * A plane through flat positions, for rows too narrow for {@link #row3x3}'s vectors: for
     * q &lt; {@code n}, {@code dst[dstOff + q] = max(floor, bias + sum over i, j < 3 of
     * w[wOff + 3 i + j] · src[top + stride · q + i · rowStride + j])}. Output (y, x) lands at
     * q = y · rowStride + x (at stride 2 too: its window starts at 2q); the positions past the
     * output's width are junk the caller drops.
     *
     * @param stride 1 or 2
     */
    void flat3x3(float[] src, int top, int rowStride, int stride, float[] w, int wOff, float bias, float[] dst, int dstOff, int n,
                 float floor);

    /** Whether an output row of {@code width} runs faster through {@link #flat3x3} than through {@link #row3x3}. */
    boolean prefersFlat(int width);
}
