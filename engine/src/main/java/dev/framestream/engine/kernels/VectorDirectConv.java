package dev.framestream.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The direct convolution tile on the Vector API: 12 accumulators, 3 unaligned input loads and 4
 * weight broadcasts per tap, one flat loop over the tap table.
 */
public final class VectorDirectConv implements DirectConv {
    /*
     * 12 + 3 + 4 = 19 live vectors: like the 6-row GEMM kernel it relies on -XX:-OptoRegScheduling
     * (set by the launcher) to run without spilling. Loads of neighbouring taps overlap, so they hit
     * L1; the kernel is FMA-bound at 12 FMAs per 7 loads.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    @Override
    public void tile(float[] src, int s0, int s1, int s2, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                     float[] out, int o0, int o1, int o2, int outPlane) {
        FloatVector c00 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector c10 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector c20 = FloatVector.broadcast(S, bias[biasOff + 2]);
        FloatVector c30 = FloatVector.broadcast(S, bias[biasOff + 3]);
        FloatVector c01 = c00, c02 = c00;
        FloatVector c11 = c10, c12 = c10;
        FloatVector c21 = c20, c22 = c20;
        FloatVector c31 = c30, c32 = c30;
        for (int t = 0; t < taps.length; t++) {
            int tap = taps[t];
            int wi = wOff + t * FILTERS;
            FloatVector x0 = FloatVector.fromArray(S, src, s0 + tap);
            FloatVector x1 = FloatVector.fromArray(S, src, s1 + tap);
            FloatVector x2 = FloatVector.fromArray(S, src, s2 + tap);
            FloatVector w0 = FloatVector.broadcast(S, w[wi]);
            c00 = w0.fma(x0, c00);
            c01 = w0.fma(x1, c01);
            c02 = w0.fma(x2, c02);
            FloatVector w1 = FloatVector.broadcast(S, w[wi + 1]);
            c10 = w1.fma(x0, c10);
            c11 = w1.fma(x1, c11);
            c12 = w1.fma(x2, c12);
            FloatVector w2 = FloatVector.broadcast(S, w[wi + 2]);
            c20 = w2.fma(x0, c20);
            c21 = w2.fma(x1, c21);
            c22 = w2.fma(x2, c22);
            FloatVector w3 = FloatVector.broadcast(S, w[wi + 3]);
            c30 = w3.fma(x0, c30);
            c31 = w3.fma(x1, c31);
            c32 = w3.fma(x2, c32);
        }
        c00.intoArray(out, o0);
        c01.intoArray(out, o1);
        c02.intoArray(out, o2);
        c10.intoArray(out, o0 + outPlane);
        c11.intoArray(out, o1 + outPlane);
        c12.intoArray(out, o2 + outPlane);
        c20.intoArray(out, o0 + 2 * outPlane);
        c21.intoArray(out, o1 + 2 * outPlane);
        c22.intoArray(out, o2 + 2 * outPlane);
        c30.intoArray(out, o0 + 3 * outPlane);
        c31.intoArray(out, o1 + 3 * outPlane);
        c32.intoArray(out, o2 + 3 * outPlane);
    }
}
