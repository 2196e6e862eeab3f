package dev.framestream.engine.kernels;

/** Plain element-wise kernels: the oracle for {@link VectorElementwise}. */
public final class ScalarElementwise implements Elementwise {

    @Override
    public void relu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = src[srcOff + i];
            dst[dstOff + i] = v > 0f ? v : 0f;
        }
    }

    @Override
    public void reluBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n) {
        for (int i = off; i < off + n; i++) {
            gradIn[i] = out[i] > 0f ? gradOut[i] : 0f;
        }
    }

    @Override
    public void clip(float[] src, int srcOff, float[] dst, int dstOff, int n, float min, float max) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Math.min(Math.max(src[srcOff + i], min), max);
        }
    }

    @Override
    public void clipBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n, float min, float max) {
        for (int i = off; i < off + n; i++) {
            gradIn[i] = out[i] > min && out[i] < max ? gradOut[i] : 0f;
        }
    }

    @Override
    public void leakyRelu(float[] src, int srcOff, float[] dst, int dstOff, int n, float slope) {
        for (int i = 0; i < n; i++) {
            float v = src[srcOff + i];
            dst[dstOff + i] = v > 0f ? v : v * slope;
        }
    }

    @Override
    public void leakyReluBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n, float slope) {
        for (int i = off; i < off + n; i++) {
            gradIn[i] = out[i] > 0f ? gradOut[i] : gradOut[i] * slope;
        }
    }

    @Override
    public void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = 1f / (1f + (float) Math.exp(-src[srcOff + i]));
        }
    }

    @Override
    public void sigmoidBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n) {
        for (int i = off; i < off + n; i++) {
            gradIn[i] = gradOut[i] * (out[i] * (1f - out[i]));
        }
    }

    @Override
    public void scaleShift(float[] src, int srcOff, float scale, float shift, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = src[srcOff + i] * scale + shift;
        }
    }

    @Override
    public void batchNormBackward(float[] in, float[] gradOut, float[] gradIn, int off, int n, float mean, float inverseStd,
                                  float factor, float meanGradient, float meanDot) {
        for (int i = off; i < off + n; i++) {
            float normalised = (in[i] - mean) * inverseStd;
            gradIn[i] = factor * (gradOut[i] - meanGradient - normalised * meanDot);
        }
    }

    @Override
    public void axpy(float[] src, int srcOff, float a, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] += a * src[srcOff + i];
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public float sum(float[] src, int off, int n) {
        float sum = 0f;
        for (int i = off; i < off + n; i++) {
            sum += src[i];
        }
        return sum;
    }

    @Override
    public void maxPool2x2Row(float[] src, int topOff, int bottomOff, float[] dst, int dstOff, int n) {
        maxPool2x2(src, topOff, bottomOff, dst, dstOff, 0, n);
    }

    /** Outputs {@code [from, to)} of {@link #maxPool2x2Row}; also the vector kernel's tail. */
    static void maxPool2x2(float[] src, int topOff, int bottomOff, float[] dst, int dstOff, int from, int to) {
        for (int i = from; i < to; i++) {
            float top = Math.max(src[topOff + 2 * i], src[topOff + 2 * i + 1]);
            float bottom = Math.max(src[bottomOff + 2 * i], src[bottomOff + 2 * i + 1]);
            dst[dstOff + i] = Math.max(top, bottom);
        }
    }

    @Override
    public void maxPool2x2RowBackward(float[] in, int topOff, int bottomOff, float[] out, float[] gradOut, int outOff, float[] gradIn, int n) {
        maxPool2x2Backward(in, topOff, bottomOff, out, gradOut, outOff, gradIn, 0, n);
    }

    /** Outputs {@code [from, to)} of {@link #maxPool2x2RowBackward}; also the vector kernel's tail. */
    static void maxPool2x2Backward(float[] in, int topOff, int bottomOff, float[] out, float[] gradOut, int outOff, float[] gradIn,
                                   int from, int to) {
        for (int i = from; i < to; i++) {
            float max = out[outOff + i];
            float g = gradOut[outOff + i];
            int x = 2 * i;
            boolean a = in[topOff + x] == max;
            boolean b = !a && in[topOff + x + 1] == max;
            boolean c = !a && !b && in[bottomOff + x] == max;
            boolean d = !a && !b && !c;              // also where nothing matches: a NaN in the window
            gradIn[topOff + x] = a ? g : 0f;
            gradIn[topOff + x + 1] = b ? g : 0f;
            gradIn[bottomOff + x] = c ? g : 0f;
            gradIn[bottomOff + x + 1] = d ? g : 0f;
        }
    }

    @Override
    public void copy(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void biasClamp(float[] src, int srcOff, float bias, float floor, float ceiling, float[] dst, int dstOff, int n) {
        biasClamp(src, srcOff, bias, floor, ceiling, dst, dstOff, 0, n);
    }

    /** Values {@code [from, to)} of {@link #biasClamp}; also the vector kernel's narrow runs. */
    static void biasClamp(float[] src, int srcOff, float bias, float floor, float ceiling, float[] dst, int dstOff, int from, int to) {
        for (int i = from; i < to; i++) {
            dst[dstOff + i] = Math.min(Math.max(src[srcOff + i] + bias, floor), ceiling);
        }
    }

    @Override
    public void biasReluPoolRows(float[] src, int srcOff, float bias, float[] dst, int dstOff) {
        int half = Gemm.PANEL_WIDTH / 2;
        for (int i = 0; i < half / 2; i++) {
            int top = srcOff + 2 * i;
            float max = Math.max(Math.max(src[top], src[top + 1]), Math.max(src[top + half], src[top + half + 1]));
            dst[dstOff + i] = Math.max(max + bias, 0f);
        }
    }

    @Override
    public void maxOverRows(float[] src, int srcOff, int rowStride, int rows, float[] dst, int dstOff, int n) {
        maxOverRows(src, srcOff, rowStride, rows, dst, dstOff, 0, n);
    }

    /** Outputs {@code [from, to)} of {@link #maxOverRows}; also the vector kernel on runs shorter than a vector. */
    static void maxOverRows(float[] src, int srcOff, int rowStride, int rows, float[] dst, int dstOff, int from, int to) {
        for (int i = from; i < to; i++) {
            float max = src[srcOff + i];
            for (int r = 1; r < rows; r++) {
                max = Math.max(max, src[srcOff + r * rowStride + i]);
            }
            dst[dstOff + i] = max;
        }
    }

    @Override
    public void sumOverRows(float[] src, int srcOff, int rowStride, int rows, float[] dst, int dstOff, int n) {
        sumOverRows(src, srcOff, rowStride, rows, dst, dstOff, 0, n);
    }

    /** Outputs {@code [from, to)} of {@link #sumOverRows}; also the vector kernel on runs shorter than a vector. */
    static void sumOverRows(float[] src, int srcOff, int rowStride, int rows, float[] dst, int dstOff, int from, int to) {
        for (int i = from; i < to; i++) {
            float sum = src[srcOff + i];
            for (int r = 1; r < rows; r++) {
                sum += src[srcOff + r * rowStride + i];
            }
            dst[dstOff + i] = sum;
        }
    }

    @Override
    public void slidingMax(float[] src, int srcOff, int size, float[] dst, int dstOff, int n) {
        slidingMax(src, srcOff, size, dst, dstOff, 0, n);
    }

    /** Outputs {@code [from, to)} of {@link #slidingMax}; also the vector kernel on runs shorter than a vector. */
    static void slidingMax(float[] src, int srcOff, int size, float[] dst, int dstOff, int from, int to) {
        for (int i = from; i < to; i++) {
            float max = src[srcOff + i];
            for (int j = 1; j < size; j++) {
                max = Math.max(max, src[srcOff + i + j]);
            }
            dst[dstOff + i] = max;
        }
    }

    @Override
    public void slidingSum(float[] src, int srcOff, int size, float[] dst, int dstOff, int n) {
        slidingSum(src, srcOff, size, dst, dstOff, 0, n);
    }

    /** Outputs {@code [from, to)} of {@link #slidingSum}; also the vector kernel on runs shorter than a vector. */
    static void slidingSum(float[] src, int srcOff, int size, float[] dst, int dstOff, int from, int to) {
        for (int i = from; i < to; i++) {
            float sum = src[srcOff + i];
            for (int j = 1; j < size; j++) {
                sum += src[srcOff + i + j];
            }
            dst[dstOff + i] = sum;
        }
    }

    @Override
    public void copyEvens(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        copyEvens(src, srcOff, dst, dstOff, 0, n);
    }

    /** Floats {@code [from, to)} of {@link #copyEvens}; also the vector kernel on runs it cannot load whole. */
    static void copyEvens(float[] src, int srcOff, float[] dst, int dstOff, int from, int to) {
        for (int i = from; i < to; i++) {
            dst[dstOff + i] = src[srcOff + 2 * i];
        }
    }
}
