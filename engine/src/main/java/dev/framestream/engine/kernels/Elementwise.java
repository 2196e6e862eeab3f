package dev.framestream.engine.kernels;

/** Element-wise kernels over a run of floats. */
public interface Elementwise {

    /** dst[i] = max(src[i], 0) for i in [0, n). {@code src} and {@code dst} may be the same run. */
    void relu(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /**
     * The ReLU's backward pass from its output: {@code gradIn[i] = out[i] > 0 ? gradOut[i] : 0}
     * for i in {@code [off, off + n)} of all three arrays.
     */
    void reluBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n);

    /** dst[i] = min(max(src[i], min), max) for i in [0, n); src and dst may be the same run. */
    void clip(float[] src, int srcOff, float[] dst, int dstOff, int n, float min, float max);

    /**
     * The clip's backward pass from its output: the gradient passes where the output lies strictly
     * between the bounds, else 0; over {@code [off, off + n)} of all three arrays.
     */
    void clipBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n, float min, float max);

    /** dst[i] = src[i] for positive src[i], else slope · src[i]; src and dst may be the same run. */
    void leakyRelu(float[] src, int srcOff, float[] dst, int dstOff, int n, float slope);

    /**
     * The leaky ReLU's backward pass from its output (a slope of at least 0 keeps the input's sign):
     * {@code gradIn[i] = out[i] > 0 ? gradOut[i] : slope · gradOut[i]}.
     */
    void leakyReluBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n, float slope);

    /** dst[i] = 1 / (1 + exp(-src[i])); src and dst may be the same run. */
    void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** The sigmoid's backward pass from its output: {@code gradIn[i] = gradOut[i] · out[i] · (1 - out[i])}. */
    void sigmoidBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n);

    /** dst[i] = src[i] · scale + shift for i in [0, n): a channel of a batch normalisation; src and dst may be the same run. */
    void scaleShift(float[] src, int srcOff, float scale, float shift, float[] dst, int dstOff, int n);

    /**
     * A batch normalisation's input gradient over one channel's run {@code [off, off + n)}:
     * {@code gradIn[i] = factor · (gradOut[i] - meanGradient - (in[i] - mean) · inverseStd · meanDot)}.
     */
    void batchNormBackward(float[] in, float[] gradOut, float[] gradIn, int off, int n, float mean, float inverseStd,
                           float factor, float meanGradient, float meanDot);

    /** dst[dstOff + i] += a · src[srcOff + i] for i in [0, n): a row of a grouped convolution's tap. */
    void axpy(float[] src, int srcOff, float a, float[] dst, int dstOff, int n);

    /** The sum of {@code a[aOff + i] · b[bOff + i]} for i in [0, n), in an order of the kernel's choosing. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** The sum of {@code src[off, off + n)}, in an order of the kernel's choosing. */
    float sum(float[] src, int off, int n);

    /**
     * The backward pass of one output row of a 2x2 stride-2 max-pool: for output i, the gradient
     * {@code gradOut[outOff + i]} goes to the first of its window's four inputs (top-left,
     * top-right, bottom-left, bottom-right) that equals {@code out[outOff + i]}, the other three get
     * 0. Inputs and their gradients share the offsets {@code topOff} and {@code bottomOff}.
     */
    void maxPool2x2RowBackward(float[] in, int topOff, int bottomOff, float[] out, float[] gradOut, int outOff, float[] gradIn, int n);

    /** Copies {@code n} floats; short runs (im2col's runs of one or two vectors) are the case to be fast for. */
    void copy(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /**
     * Copies every second float: {@code dst[dstOff + i] = src[srcOff + 2i]} for i in [0, n), the
     * lowering of a stride-2 convolution. It may read {@code src[srcOff + 2n - 1]}, the float after
     * the last one copied, where the array holds it.
     */
    void copyEvens(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /**
     * One output row of a 2x2 stride-2 max-pool: {@code dst[dstOff + i] = max(top[2i], top[2i + 1],
     * bottom[2i], bottom[2i + 1])} for i in [0, n), the input rows starting at {@code topOff} and
     * {@code bottomOff} of {@code src}.
     */
    void maxPool2x2Row(float[] src, int topOff, int bottomOff, float[] dst, int dstOff, int n);

    /**
     * The first pass of a pooling window over rows: {@code dst[dstOff + i] = max over r < rows of
     * src[srcOff + r * rowStride + i]} for i in [0, n), {@code rows} at least 1.
     */
    void maxOverRows(float[] src, int srcOff, int rowStride, int rows, float[] dst, int dstOff, int n);

    /** As {@link #maxOverRows}, summing: {@code dst[dstOff + i] = sum over r < rows of src[srcOff + r * rowStride + i]}. */
    void sumOverRows(float[] src, int srcOff, int rowStride, int rows, float[] dst, int dstOff, int n);

    /**
     * The second pass, along the row: {@code dst[dstOff + i] = max over j < size of src[srcOff + i + j]}
     * for i in [0, n); {@code src} and {@code dst} do not overlap.
     */
    void slidingMax(float[] src, int srcOff, int size, float[] dst, int dstOff, int n);

    /** As {@link #slidingMax}, summing: {@code dst[dstOff + i] = sum over j < size of src[srcOff + i + j]}. */
    void slidingSum(float[] src, int srcOff, int size, float[] dst, int dstOff, int n);

    /**
     * The epilogue of a GEMM tile row: {@code dst[dstOff + i] = min(max(src[srcOff + i] + bias, floor), ceiling)}
     * for i in [0, n): the filter's bias, and with {@code floor} 0 a ReLU (negative infinity for
     * none), with {@code ceiling} 6 a ReLU6 (positive infinity for none).
     */
    void biasClamp(float[] src, int srcOff, float bias, float floor, float ceiling, float[] dst, int dstOff, int n);

    /**
     * The epilogue of a GEMM tile row that holds h = {@link Gemm#PANEL_WIDTH} / 2 pixels of an
     * output row and then the h below them: their h / 2 ReLU'd 2x2 max-pool windows,
     * {@code dst[dstOff + i] = max(0, bias + max(src[o + 2i], src[o + 2i + 1], src[o + h + 2i], src[o + h + 2i + 1]))}
     * with o = srcOff, for i &lt; h / 2. The tile row is scratch and may be overwritten.
     */
    void biasReluPoolRows(float[] src, int srcOff, float bias, float[] dst, int dstOff);
}
