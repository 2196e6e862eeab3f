package dev.framestream.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise kernels on the Vector API, with a scalar tail. */
public final class VectorElementwise implements Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
}
