package dev.framestream.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise kernels on the Vector API, with a scalar tail. */
public final class VectorElementwise implements Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromValues(S256, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorShuffle<Float> EVENS_TWICE = VectorShuffle.fromValues(S256, 0, 2, 4, 6, 0, 2, 4, 6);
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromValues(S256, false, false, false, false, true, true, true, true);

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

    /**
     * 8 outputs from 16 input columns per step: the two rows' maximum, then each lane's maximum
     * with its pair neighbour, then the even lanes of both halves gathered into one vector.
     */
    @Override
    public void maxPool2x2Row(float[] src, int topOff, int bottomOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int x = 2 * i;
            FloatVector low = FloatVector.fromArray(S256, src, topOff + x).max(FloatVector.fromArray(S256, src, bottomOff + x));
            FloatVector high = FloatVector.fromArray(S256, src, topOff + x + 8).max(FloatVector.fromArray(S256, src, bottomOff + x + 8));
            low = low.max(low.rearrange(SWAP_PAIRS)).rearrange(EVENS_TWICE);
            high = high.max(high.rearrange(SWAP_PAIRS)).rearrange(EVENS_TWICE);
            low.blend(high, UPPER_HALF).intoArray(dst, dstOff + i);
        }
        ScalarElementwise.maxPool2x2(src, topOff, bottomOff, dst, dstOff, i, n);
    }

    /** Runs of 8 and 16 as one or two 256-bit moves: arraycopy's call costs more than the copy. */
    @Override
    public void copy(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (n == 16) {
            FloatVector.fromArray(S256, src, srcOff).intoArray(dst, dstOff);
            FloatVector.fromArray(S256, src, srcOff + 8).intoArray(dst, dstOff + 8);
        } else if (n == 8) {
            FloatVector.fromArray(S256, src, srcOff).intoArray(dst, dstOff);
        } else {
            System.arraycopy(src, srcOff, dst, dstOff, n);
        }
    }
}
