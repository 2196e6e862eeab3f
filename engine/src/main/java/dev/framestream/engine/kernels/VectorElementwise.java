package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Lanes.EVENS;
import static dev.framestream.engine.kernels.Lanes.EVENS_TWICE;
import static dev.framestream.engine.kernels.Lanes.L;
import static dev.framestream.engine.kernels.Lanes.S;
import static dev.framestream.engine.kernels.Lanes.SWAP_PAIRS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/** Element-wise kernels on the Vector API, with a scalar tail. */
public final class VectorElementwise implements Elementwise {
    /* Each output of a pooled row's half vector duplicated into its window's two lanes. */
    private static final VectorShuffle<Float> DUPLICATE_LOW = Lanes.shuffle(i -> i / 2);
    private static final VectorShuffle<Float> DUPLICATE_HIGH = Lanes.shuffle(i -> L / 2 + i / 2);
    private static final VectorMask<Float> EVEN_LANES = VectorMask.fromLong(S, 0x5555_5555_5555_5555L);
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(S, ((1L << L) - 1) & ~((1L << (L / 2)) - 1));
    private static final VectorMask<Float> LOWER_HALF = UPPER_HALF.not();

    @Override
    public void relu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, src, srcOff + i).max(0f).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            float v = src[srcOff + i];
            dst[dstOff + i] = v > 0f ? v : 0f;
        }
    }

    @Override
    public void reluBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(S, out, off + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, gradOut, off + i), positive).intoArray(gradIn, off + i);
        }
        for (; i < n; i++) {
            gradIn[off + i] = out[off + i] > 0f ? gradOut[off + i] : 0f;
        }
    }

    @Override
    public void clip(float[] src, int srcOff, float[] dst, int dstOff, int n, float min, float max) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, src, srcOff + i).max(min).min(max).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = Math.min(Math.max(src[srcOff + i], min), max);
        }
    }

    @Override
    public void clipBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n, float min, float max) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector y = FloatVector.fromArray(S, out, off + i);
            VectorMask<Float> inside = y.compare(VectorOperators.GT, min).and(y.compare(VectorOperators.LT, max));
            zero.blend(FloatVector.fromArray(S, gradOut, off + i), inside).intoArray(gradIn, off + i);
        }
        for (; i < n; i++) {
            gradIn[off + i] = out[off + i] > min && out[off + i] < max ? gradOut[off + i] : 0f;
        }
    }

    @Override
    public void leakyRelu(float[] src, int srcOff, float[] dst, int dstOff, int n, float slope) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, src, srcOff + i);
            x.mul(slope).blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            float v = src[srcOff + i];
            dst[dstOff + i] = v > 0f ? v : v * slope;
        }
    }

    @Override
    public void leakyReluBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n, float slope) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, gradOut, off + i);
            VectorMask<Float> positive = FloatVector.fromArray(S, out, off + i).compare(VectorOperators.GT, 0f);
            g.mul(slope).blend(g, positive).intoArray(gradIn, off + i);
        }
        for (; i < n; i++) {
            gradIn[off + i] = out[off + i] > 0f ? gradOut[off + i] : gradOut[off + i] * slope;
        }
    }

    /* EXP is an intrinsic where the JDK has a vector math library (SVML on x86) and lane-by-lane Math.exp elsewhere. */
    @Override
    public void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, src, srcOff + i).neg().lanewise(VectorOperators.EXP);
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = 1f / (1f + (float) Math.exp(-src[srcOff + i]));
        }
    }

    @Override
    public void sigmoidBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector y = FloatVector.fromArray(S, out, off + i);
            FloatVector.fromArray(S, gradOut, off + i).mul(y.mul(y.neg().add(1f))).intoArray(gradIn, off + i);
        }
        for (; i < n; i++) {
            gradIn[off + i] = gradOut[off + i] * (out[off + i] * (1f - out[off + i]));
        }
    }

    /* Multiply then add, not a fused multiply-add: the same roundings as the scalar kernel, so the two agree exactly. */
    @Override
    public void scaleShift(float[] src, int srcOff, float scale, float shift, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, src, srcOff + i).mul(scale).add(shift).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = src[srcOff + i] * scale + shift;
        }
    }

    @Override
    public void batchNormBackward(float[] in, float[] gradOut, float[] gradIn, int off, int n, float mean, float inverseStd,
                                  float factor, float meanGradient, float meanDot) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector normalised = FloatVector.fromArray(S, in, off + i).sub(mean).mul(inverseStd);
            FloatVector.fromArray(S, gradOut, off + i).sub(meanGradient).sub(normalised.mul(meanDot)).mul(factor)
                    .intoArray(gradIn, off + i);
        }
        for (; i < n; i++) {
            float normalised = (in[off + i] - mean) * inverseStd;
            gradIn[off + i] = factor * (gradOut[off + i] - meanGradient - normalised * meanDot);
        }
    }

    /* Multiply then add, as the scalar kernel rounds: the two agree exactly. */
    @Override
    public void axpy(float[] src, int srcOff, float a, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, src, srcOff + i).mul(a).add(FloatVector.fromArray(S, dst, dstOff + i)).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] += a * src[srcOff + i];
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public float sum(float[] src, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, src, off + i));
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += src[off + i];
        }
        return sum;
    }

    /**
     * One vector of outputs from two of input columns per step: the two rows' maximum, then each
     * lane's maximum with its pair neighbour, then the even lanes of both halves gathered into one
     * vector.
     */
    @Override
    public void maxPool2x2Row(float[] src, int topOff, int bottomOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            int x = 2 * i;
            FloatVector low = FloatVector.fromArray(S, src, topOff + x).max(FloatVector.fromArray(S, src, bottomOff + x));
            FloatVector high = FloatVector.fromArray(S, src, topOff + x + L).max(FloatVector.fromArray(S, src, bottomOff + x + L));
            low = low.max(low.rearrange(SWAP_PAIRS)).rearrange(EVENS_TWICE);
            high = high.max(high.rearrange(SWAP_PAIRS)).rearrange(EVENS_TWICE);
            low.blend(high, UPPER_HALF).intoArray(dst, dstOff + i);
        }
        ScalarElementwise.maxPool2x2(src, topOff, bottomOff, dst, dstOff, i, n);
    }

    /**
     * Half a vector of windows per vector, two vectors per step: each output's maximum and gradient are
     * duplicated into its window's two columns, each row is compared with the maximum as it is and
     * with its columns swapped (so every lane also sees its pair's result), and the "first match
     * wins" order becomes mask logic: top-left if it matches, top-right if it matches and
     * top-left did not, bottom-left likewise after the top row, bottom-right otherwise.
     */
    @Override
    public void maxPool2x2RowBackward(float[] in, int topOff, int bottomOff, float[] out, float[] gradOut, int outOff, float[] gradIn, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector max = FloatVector.fromArray(S, out, outOff + i);
            FloatVector grad = FloatVector.fromArray(S, gradOut, outOff + i);
            for (int half = 0; half < 2; half++) {
                VectorShuffle<Float> duplicate = half == 0 ? DUPLICATE_LOW : DUPLICATE_HIGH;
                FloatVector m = max.rearrange(duplicate);
                FloatVector g = grad.rearrange(duplicate);
                int x = 2 * i + L * half;
                FloatVector top = FloatVector.fromArray(S, in, topOff + x);
                FloatVector bottom = FloatVector.fromArray(S, in, bottomOff + x);
                VectorMask<Float> topSelf = top.compare(VectorOperators.EQ, m);
                VectorMask<Float> topPair = top.rearrange(SWAP_PAIRS).compare(VectorOperators.EQ, m);
                VectorMask<Float> bottomSelf = bottom.compare(VectorOperators.EQ, m);
                VectorMask<Float> bottomPair = bottom.rearrange(SWAP_PAIRS).compare(VectorOperators.EQ, m);
                VectorMask<Float> takeTop = topSelf.and(EVEN_LANES.or(topPair.not()));
                VectorMask<Float> takeBottom = EVEN_LANES.and(bottomSelf).or(EVEN_LANES.not().and(bottomPair.not()))
                        .and(topSelf.or(topPair).not());
                zero.blend(g, takeTop).intoArray(gradIn, topOff + x);
                zero.blend(g, takeBottom).intoArray(gradIn, bottomOff + x);
            }
        }
        ScalarElementwise.maxPool2x2Backward(in, topOff, bottomOff, out, gradOut, outOff, gradIn, i, n);
    }

    /** Runs of one or two vectors (im2col's panel runs) as moves: arraycopy's call costs more than the copy. */
    @Override
    public void copy(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (n == 2 * L) {
            FloatVector.fromArray(S, src, srcOff).intoArray(dst, dstOff);
            FloatVector.fromArray(S, src, srcOff + L).intoArray(dst, dstOff + L);
        } else if (n == L) {
            FloatVector.fromArray(S, src, srcOff).intoArray(dst, dstOff);
        } else {
            System.arraycopy(src, srcOff, dst, dstOff, n);
        }
    }

    /** Runs of a full GEMM tile row as two vectors; shorter runs (a last narrow panel) plainly. */
    @Override
    public void biasClamp(float[] src, int srcOff, float bias, float floor, float ceiling, float[] dst, int dstOff, int n) {
        if (n == 2 * L) {
            FloatVector.fromArray(S, src, srcOff).add(bias).max(floor).min(ceiling).intoArray(dst, dstOff);
            FloatVector.fromArray(S, src, srcOff + L).add(bias).max(floor).min(ceiling).intoArray(dst, dstOff + L);
        } else {
            ScalarElementwise.biasClamp(src, srcOff, bias, floor, ceiling, dst, dstOff, 0, n);
        }
    }

    /**
     * Each lane's larger value is taken as {@code a < b ? b : a} (a blend on a compare), which is
     * x86's MAXPS with the operands the other way round: where either is NaN, or both are zeros, the
     * lane keeps {@code a}. {@link FloatVector#max} keeps Java's NaN and signed-zero rules, which C2
     * compiles to five instructions (two blends, a compare, a max, a blend) where this takes two,
     * which matters in the pooled epilogues (measurements: docs/benchmarks.md#engine-kernels). So a
     * window passes a NaN on only from its top-left pixel; a NaN weight or input still reaches the
     * output through the other windows it touches. Inference only: training pools through
     * {@code Pool2D}.
     *
     * <p>Written out rather than through helpers: a call C2 declines to inline (when the caller has
     * spent its inlining budget, or the call site was cold when it compiled) boxes every vector it
     * passes, and a warm batch must not allocate.
     */
    @Override
    public void biasReluPoolRows(float[] src, int srcOff, float bias, float[] dst, int dstOff) {
        FloatVector top = FloatVector.fromArray(S, src, srcOff);
        FloatVector bottom = FloatVector.fromArray(S, src, srcOff + L);
        FloatVector rows = top.blend(bottom, top.compare(VectorOperators.LT, bottom)).add(bias);
        FloatVector pairs = rows.rearrange(SWAP_PAIRS);
        FloatVector windows = rows.blend(pairs, rows.compare(VectorOperators.LT, pairs));
        windows = windows.blend(0f, windows.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        // The low half, masked; at the array's end through the tile row, as a masked store past
        // the end takes a path that allocates (and a half-width store would be a second shape).
        if (dstOff + L <= dst.length) {
            windows.intoArray(dst, dstOff, LOWER_HALF);
        } else {
            windows.intoArray(src, srcOff);
            System.arraycopy(src, srcOff, dst, dstOff, L / 2);
        }
    }

    /*
     * The pooling passes run whole vectors only: a run that is not a multiple of the vector ends
     * with one more vector moved back to end at the run's end, recomputing a few outputs (src and
     * dst never overlap). Pooled rows are short (13 to 111 wide in SqueezeNet), where a scalar tail
     * of up to a vector less one would cost as much as the vectors.
     */
    @Override
    public void maxOverRows(float[] src, int srcOff, int rowStride, int rows, float[] dst, int dstOff, int n) {
        if (n < L) {
            ScalarElementwise.maxOverRows(src, srcOff, rowStride, rows, dst, dstOff, 0, n);
            return;
        }
        for (int next = 0; next < n; next += L) {
            int i = Math.min(next, n - L);
            FloatVector max = FloatVector.fromArray(S, src, srcOff + i);
            for (int r = 1; r < rows; r++) {
                max = max.max(FloatVector.fromArray(S, src, srcOff + r * rowStride + i));
            }
            max.intoArray(dst, dstOff + i);
        }
    }

    @Override
    public void sumOverRows(float[] src, int srcOff, int rowStride, int rows, float[] dst, int dstOff, int n) {
        if (n < L) {
            ScalarElementwise.sumOverRows(src, srcOff, rowStride, rows, dst, dstOff, 0, n);
            return;
        }
        for (int next = 0; next < n; next += L) {
            int i = Math.min(next, n - L);
            FloatVector sum = FloatVector.fromArray(S, src, srcOff + i);
            for (int r = 1; r < rows; r++) {
                sum = sum.add(FloatVector.fromArray(S, src, srcOff + r * rowStride + i));
            }
            sum.intoArray(dst, dstOff + i);
        }
    }

    @Override
    public void slidingMax(float[] src, int srcOff, int size, float[] dst, int dstOff, int n) {
        if (n < L) {
            ScalarElementwise.slidingMax(src, srcOff, size, dst, dstOff, 0, n);
            return;
        }
        for (int next = 0; next < n; next += L) {
            int i = Math.min(next, n - L);
            FloatVector max = FloatVector.fromArray(S, src, srcOff + i);
            for (int j = 1; j < size; j++) {
                max = max.max(FloatVector.fromArray(S, src, srcOff + i + j));
            }
            max.intoArray(dst, dstOff + i);
        }
    }

    @Override
    public void slidingSum(float[] src, int srcOff, int size, float[] dst, int dstOff, int n) {
        if (n < L) {
            ScalarElementwise.slidingSum(src, srcOff, size, dst, dstOff, 0, n);
            return;
        }
        for (int next = 0; next < n; next += L) {
            int i = Math.min(next, n - L);
            FloatVector sum = FloatVector.fromArray(S, src, srcOff + i);
            for (int j = 1; j < size; j++) {
                sum = sum.add(FloatVector.fromArray(S, src, srcOff + i + j));
            }
            sum.intoArray(dst, dstOff + i);
        }
    }

    /** Two vectors in, their even lanes out; a run's last vector moves back to end at the run's end, as in the pooling passes. */
    @Override
    public void copyEvens(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (n < L || srcOff + 2 * n > src.length) {
            ScalarElementwise.copyEvens(src, srcOff, dst, dstOff, 0, n);
            return;
        }
        for (int next = 0; next < n; next += L) {
            int i = Math.min(next, n - L);
            int at = srcOff + 2 * i;
            FloatVector.fromArray(S, src, at).rearrange(EVENS, FloatVector.fromArray(S, src, at + L)).intoArray(dst, dstOff + i);
        }
    }
}
