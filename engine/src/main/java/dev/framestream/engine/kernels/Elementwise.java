package dev.framestream.engine.kernels;

/** Element-wise kernels over a run of floats. */
public interface Elementwise {

    /** dst[i] = max(src[i], 0) for i in [0, n). {@code src} and {@code dst} may be the same run. */
    void relu(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** Copies {@code n} floats; short runs (the 8 and 16 of im2col panels) are the case to be fast for. */
    void copy(float[] src, int srcOff, float[] dst, int dstOff, int n);
}
