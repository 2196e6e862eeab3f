package dev.framestream.engine.kernels;

/** The plain 3x3 depthwise row and flat plane: the oracle for {@link VectorDepthwiseConv}, and its tail. */
public final class ScalarDepthwiseConv implements DepthwiseConv {

    /** A row is a flat run of its width. */
    @Override
    public void row3x3(float[] src, int top, int rowStride, int stride, float[] w, int wOff, float bias, float[] out, int outOff, int width,
                       float floor) {
        flat3x3(src, top, rowStride, stride, w, wOff, bias, out, outOff, 0, width, floor);
    }

    @Override
    public void flat3x3(float[] src, int top, int rowStride, int stride, float[] w, int wOff, float bias, float[] dst, int dstOff, int n,
                        float floor) {
        flat3x3(src, top, rowStride, stride, w, wOff, bias, dst, dstOff, 0, n, floor);
    }

    /** Positions {@code [from, n)} of {@link #flat3x3}. */
    static void flat3x3(float[] src, int top, int rowStride, int stride, float[] w, int wOff, float bias, float[] dst, int dstOff,
                        int from, int n, float floor) {
        for (int q = from; q < n; q++) {
            float sum = bias;
            for (int i = 0; i < 3; i++) {
                int at = top + stride * q + i * rowStride;
                for (int j = 0; j < 3; j++) {
                    sum += w[wOff + 3 * i + j] * src[at + j];
                }
            }
            dst[dstOff + q] = Math.max(sum, floor);
        }
    }

    /** Never: the scalar row has no vectors to fill, and the flat plane computes junk positions besides. */
    @Override
    public boolean prefersFlat(int width) {
        return false;
    }
}
