package dev.framestream.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The direct convolution tile on the Vector API: 8 accumulators, 4 unaligned input loads and 2
 * weight broadcasts per tap, one flat loop over the tap table.
 */
public final class VectorDirectConv implements DirectConv {
    /*
     * 8 + 4 + 2 = 14 live vectors fit the 16 registers with or without -XX:-OptoRegScheduling.
     * Measured on one core: 2 filters x 4 vectors ran at ~60 GFLOP/s where 4 filters x 3 vectors
     * (19 live vectors) ran at 30-40.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromValues(S, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorShuffle<Float> EVENS_TWICE = VectorShuffle.fromValues(S, 0, 2, 4, 6, 0, 2, 4, 6);
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromValues(S, false, false, false, false, true, true, true, true);

    @Override
    public void tile(float[] src, int srcOff, int[] s, int sOff, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                     float[] out, int outOff, int[] o, int oOff, int outPlane, float floor) {
        int s0 = srcOff + s[sOff];
        int s1 = srcOff + s[sOff + 1];
        int s2 = srcOff + s[sOff + 2];
        int s3 = srcOff + s[sOff + 3];
        FloatVector c00 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector c10 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector c01 = c00, c02 = c00, c03 = c00;
        FloatVector c11 = c10, c12 = c10, c13 = c10;
        for (int t = 0; t < taps.length; t++) {
            int tap = taps[t];
            FloatVector x0 = FloatVector.fromArray(S, src, s0 + tap);
            FloatVector x1 = FloatVector.fromArray(S, src, s1 + tap);
            FloatVector x2 = FloatVector.fromArray(S, src, s2 + tap);
            FloatVector x3 = FloatVector.fromArray(S, src, s3 + tap);
            FloatVector w0 = FloatVector.broadcast(S, w[wOff + 2 * t]);
            c00 = w0.fma(x0, c00);
            c01 = w0.fma(x1, c01);
            c02 = w0.fma(x2, c02);
            c03 = w0.fma(x3, c03);
            FloatVector w1 = FloatVector.broadcast(S, w[wOff + 2 * t + 1]);
            c10 = w1.fma(x0, c10);
            c11 = w1.fma(x1, c11);
            c12 = w1.fma(x2, c12);
            c13 = w1.fma(x3, c13);
        }
        int o0 = outOff + o[oOff];
        int o1 = outOff + o[oOff + 1];
        int o2 = outOff + o[oOff + 2];
        int o3 = outOff + o[oOff + 3];
        c00.max(floor).intoArray(out, o0);
        c01.max(floor).intoArray(out, o1);
        c02.max(floor).intoArray(out, o2);
        c03.max(floor).intoArray(out, o3);
        c10.max(floor).intoArray(out, o0 + outPlane);
        c11.max(floor).intoArray(out, o1 + outPlane);
        c12.max(floor).intoArray(out, o2 + outPlane);
        c13.max(floor).intoArray(out, o3 + outPlane);
    }

    /**
     * The same accumulation as {@link #tile}; only the store differs: each pair's rows are combined,
     * clamped, reduced over neighbouring lanes and compacted, and both pairs leave in one store.
     * The loop is repeated rather than shared because C2 compiles each small flat kernel method best
     * (DESIGN.md), and a method cannot hand 8 accumulators back without them leaving registers.
     */
    @Override
    public void tilePooled(float[] src, int srcOff, int[] s, int sOff, int[] taps, float[] w, int wOff, float[] bias, int biasOff,
                           float[] out, int outOff, int outPlane) {
        int s0 = srcOff + s[sOff];
        int s1 = srcOff + s[sOff + 1];
        int s2 = srcOff + s[sOff + 2];
        int s3 = srcOff + s[sOff + 3];
        FloatVector c00 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector c10 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector c01 = c00, c02 = c00, c03 = c00;
        FloatVector c11 = c10, c12 = c10, c13 = c10;
        for (int t = 0; t < taps.length; t++) {
            int tap = taps[t];
            FloatVector x0 = FloatVector.fromArray(S, src, s0 + tap);
            FloatVector x1 = FloatVector.fromArray(S, src, s1 + tap);
            FloatVector x2 = FloatVector.fromArray(S, src, s2 + tap);
            FloatVector x3 = FloatVector.fromArray(S, src, s3 + tap);
            FloatVector w0 = FloatVector.broadcast(S, w[wOff + 2 * t]);
            c00 = w0.fma(x0, c00);
            c01 = w0.fma(x1, c01);
            c02 = w0.fma(x2, c02);
            c03 = w0.fma(x3, c03);
            FloatVector w1 = FloatVector.broadcast(S, w[wOff + 2 * t + 1]);
            c10 = w1.fma(x0, c10);
            c11 = w1.fma(x1, c11);
            c12 = w1.fma(x2, c12);
            c13 = w1.fma(x3, c13);
        }
        pool(c00, c01, c02, c03).intoArray(out, outOff);
        pool(c10, c11, c12, c13).intoArray(out, outOff + outPlane);
    }

    /** Two row pairs to 8 pooled values: max of the rows, ReLU, max with the lane's neighbour, even lanes compacted. */
    private static FloatVector pool(FloatVector top0, FloatVector bottom0, FloatVector top1, FloatVector bottom1) {
        FloatVector first = top0.max(bottom0).max(0f);
        FloatVector second = top1.max(bottom1).max(0f);
        first = first.max(first.rearrange(SWAP_PAIRS)).rearrange(EVENS_TWICE);
        second = second.max(second.rearrange(SWAP_PAIRS)).rearrange(EVENS_TWICE);
        return first.blend(second, UPPER_HALF);
    }
}
