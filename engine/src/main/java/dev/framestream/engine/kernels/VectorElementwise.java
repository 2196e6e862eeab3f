package dev.framestream.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise kernels on the Vector API, with a scalar tail. */
public final class VectorElementwise implements Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;

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
