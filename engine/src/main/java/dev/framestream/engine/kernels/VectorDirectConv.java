package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Lanes.EVENS_TWICE;
import static dev.framestream.engine.kernels.Lanes.L;
import static dev.framestream.engine.kernels.Lanes.S;
import static dev.framestream.engine.kernels.Lanes.SWAP_PAIRS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The direct convolution tile on the Vector API: 8 accumulators (4 filters x 2 vectors), per tap
 * 2 unaligned input loads and 4 weight broadcasts; a vector is {@link VectorWidth} wide.
 */
public final class VectorDirectConv implements DirectConv {
    /*
     * Why this shape: 4 filters x 2 vectors (8 accumulators, which stay in registers) over kernel
     * rows with a constant column count beats 2 filters x 4 vectors and a flat tap table. Every
     * input load carries a bounds check whose index C2 cannot predict; 4 filters per load halve
     * the checks per multiply-add. With a constant column count C2 does not unroll the column loop
     * (the disassembly shows it) but hoists the checks of its 6 array accesses in front of it, once
     * per kernel row: about 45 instructions against the row's 100 of work, the main cost above the
     * multiply-adds. Hence a copy of the loop for 5x5 kernels. The same copy for 3x3 kernels
     * measured slower than the general loop, so 3x3 takes the general one. The two loops in one
     * method, before one epilogue, measured slower than two methods with the epilogue in each.
     *
     * Tried and slower: 2 filters x 3 row pairs, 12 accumulators (C2 keeps pointers in vector
     * registers and spills accumulators); the 5 columns unrolled by hand (the method outgrows C2's
     * inlining budget and vectors are boxed); columns outermost over kernel rows a fixed stride
     * apart (channels interleaved by row), even with a constant stride that lets C2 take the checks
     * out of the loop; a tap's 4 weights from one vector load, broadcast by rearrange.
     * (measurements: docs/benchmarks.md#engine-kernels)
     *
     * The epilogues are written out, not called: a call C2 declines to inline (the loops have
     * spent most of its inlining budget) boxes the vectors it is passed, which allocates per tile.
     * The pooled one takes each lane's larger value as MAXPS does (see
     * VectorElementwise.biasReluPoolRows for why and what it means for NaN).
     */
    private static final VectorMask<Float> LOWER_HALF = VectorMask.fromLong(S, (1L << (L / 2)) - 1);

    @Override
    public void tile(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
                     float[] out, int out0, int out1, int outPlane, float floor) {
        if (width == 5) {
            width5(src, at0, at1, rows, w, wOff, bias, biasOff, out, out0, out1, outPlane, floor, false, null, 0);
        } else {
            anyWidth(src, at0, at1, rows, width, w, wOff, bias, biasOff, out, out0, out1, outPlane, floor, false, null, 0);
        }
    }

    @Override
    public void tilePooled(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
                           float[] out, int out0, int outPlane, float[] spill, int spillOff) {
        if (width == 5) {
            width5(src, at0, at1, rows, w, wOff, bias, biasOff, out, out0, out0, outPlane, 0f, true, spill, spillOff);
        } else {
            anyWidth(src, at0, at1, rows, width, w, wOff, bias, biasOff, out, out0, out0, outPlane, 0f, true, spill, spillOff);
        }
    }

    private static void width5(float[] src, int at0, int at1, int[] rows, float[] w, int wOff, float[] bias, int biasOff,
                                 float[] out, int out0, int out1, int outPlane, float floor, boolean pooled,
                                 float[] spill, int spillOff) {
        FloatVector a0 = FloatVector.broadcast(S, bias[biasOff]), a1 = a0;
        FloatVector b0 = FloatVector.broadcast(S, bias[biasOff + 1]), b1 = b0;
        FloatVector c0 = FloatVector.broadcast(S, bias[biasOff + 2]), c1 = c0;
        FloatVector d0 = FloatVector.broadcast(S, bias[biasOff + 3]), d1 = d0;
        for (int r = 0; r < rows.length; r++) {
            int p0 = at0 + rows[r];
            int p1 = at1 + rows[r];
            int row = wOff + r * 5 * FILTERS;
            for (int j = 0; j < 5; j++) {
                int t = row + j * FILTERS;
                FloatVector x0 = FloatVector.fromArray(S, src, p0 + j);
                FloatVector x1 = FloatVector.fromArray(S, src, p1 + j);
                FloatVector wq = FloatVector.broadcast(S, w[t]);
                a0 = wq.fma(x0, a0);
                a1 = wq.fma(x1, a1);
                wq = FloatVector.broadcast(S, w[t + 1]);
                b0 = wq.fma(x0, b0);
                b1 = wq.fma(x1, b1);
                wq = FloatVector.broadcast(S, w[t + 2]);
                c0 = wq.fma(x0, c0);
                c1 = wq.fma(x1, c1);
                wq = FloatVector.broadcast(S, w[t + 3]);
                d0 = wq.fma(x0, d0);
                d1 = wq.fma(x1, d1);
            }
        }
        if (!pooled) {
            a0.max(floor).intoArray(out, out0);
            a1.max(floor).intoArray(out, out1);
            b0.max(floor).intoArray(out, out0 + outPlane);
            b1.max(floor).intoArray(out, out1 + outPlane);
            c0.max(floor).intoArray(out, out0 + 2 * outPlane);
            c1.max(floor).intoArray(out, out1 + 2 * outPlane);
            d0.max(floor).intoArray(out, out0 + 3 * outPlane);
            d1.max(floor).intoArray(out, out1 + 3 * outPlane);
            return;
        }
        // Each filter: top and bottom rows combined, then each lane with its pair neighbour, then
        // with 0 (the ReLU); the window maxima gathered into the low half and stored.
        FloatVector a = a0.blend(a1, a0.compare(VectorOperators.LT, a1));
        FloatVector b = b0.blend(b1, b0.compare(VectorOperators.LT, b1));
        FloatVector c = c0.blend(c1, c0.compare(VectorOperators.LT, c1));
        FloatVector d = d0.blend(d1, d0.compare(VectorOperators.LT, d1));
        FloatVector pairs = a.rearrange(SWAP_PAIRS);
        a = a.blend(pairs, a.compare(VectorOperators.LT, pairs));
        pairs = b.rearrange(SWAP_PAIRS);
        b = b.blend(pairs, b.compare(VectorOperators.LT, pairs));
        pairs = c.rearrange(SWAP_PAIRS);
        c = c.blend(pairs, c.compare(VectorOperators.LT, pairs));
        pairs = d.rearrange(SWAP_PAIRS);
        d = d.blend(pairs, d.compare(VectorOperators.LT, pairs));
        a = a.blend(0f, a.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        b = b.blend(0f, b.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        c = c.blend(0f, c.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        d = d.blend(0f, d.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        // The low halves, masked; at the array's end through the spill, as a masked store past the
        // end takes a path that allocates (and a half-width store would be a second shape).
        if (out0 + 3 * outPlane + L <= out.length) {
            a.intoArray(out, out0, LOWER_HALF);
            b.intoArray(out, out0 + outPlane, LOWER_HALF);
            c.intoArray(out, out0 + 2 * outPlane, LOWER_HALF);
            d.intoArray(out, out0 + 3 * outPlane, LOWER_HALF);
            return;
        }
        a.intoArray(spill, spillOff);
        b.intoArray(spill, spillOff + L);
        c.intoArray(spill, spillOff + 2 * L);
        d.intoArray(spill, spillOff + 3 * L);
        for (int q = 0; q < FILTERS; q++) {
            System.arraycopy(spill, spillOff + q * L, out, out0 + q * outPlane, L / 2);
        }
    }

    /** {@link #width5} with any number of columns. */
    private static void anyWidth(float[] src, int at0, int at1, int[] rows, int width, float[] w, int wOff, float[] bias, int biasOff,
                                 float[] out, int out0, int out1, int outPlane, float floor, boolean pooled,
                                 float[] spill, int spillOff) {
        FloatVector a0 = FloatVector.broadcast(S, bias[biasOff]), a1 = a0;
        FloatVector b0 = FloatVector.broadcast(S, bias[biasOff + 1]), b1 = b0;
        FloatVector c0 = FloatVector.broadcast(S, bias[biasOff + 2]), c1 = c0;
        FloatVector d0 = FloatVector.broadcast(S, bias[biasOff + 3]), d1 = d0;
        for (int r = 0; r < rows.length; r++) {
            int p0 = at0 + rows[r];
            int p1 = at1 + rows[r];
            int row = wOff + r * width * FILTERS;
            for (int j = 0; j < width; j++) {
                int t = row + j * FILTERS;
                FloatVector x0 = FloatVector.fromArray(S, src, p0 + j);
                FloatVector x1 = FloatVector.fromArray(S, src, p1 + j);
                FloatVector wq = FloatVector.broadcast(S, w[t]);
                a0 = wq.fma(x0, a0);
                a1 = wq.fma(x1, a1);
                wq = FloatVector.broadcast(S, w[t + 1]);
                b0 = wq.fma(x0, b0);
                b1 = wq.fma(x1, b1);
                wq = FloatVector.broadcast(S, w[t + 2]);
                c0 = wq.fma(x0, c0);
                c1 = wq.fma(x1, c1);
                wq = FloatVector.broadcast(S, w[t + 3]);
                d0 = wq.fma(x0, d0);
                d1 = wq.fma(x1, d1);
            }
        }
        if (!pooled) {
            a0.max(floor).intoArray(out, out0);
            a1.max(floor).intoArray(out, out1);
            b0.max(floor).intoArray(out, out0 + outPlane);
            b1.max(floor).intoArray(out, out1 + outPlane);
            c0.max(floor).intoArray(out, out0 + 2 * outPlane);
            c1.max(floor).intoArray(out, out1 + 2 * outPlane);
            d0.max(floor).intoArray(out, out0 + 3 * outPlane);
            d1.max(floor).intoArray(out, out1 + 3 * outPlane);
            return;
        }
        // Each filter: top and bottom rows combined, then each lane with its pair neighbour, then
        // with 0 (the ReLU); the window maxima gathered into the low half and stored.
        FloatVector a = a0.blend(a1, a0.compare(VectorOperators.LT, a1));
        FloatVector b = b0.blend(b1, b0.compare(VectorOperators.LT, b1));
        FloatVector c = c0.blend(c1, c0.compare(VectorOperators.LT, c1));
        FloatVector d = d0.blend(d1, d0.compare(VectorOperators.LT, d1));
        FloatVector pairs = a.rearrange(SWAP_PAIRS);
        a = a.blend(pairs, a.compare(VectorOperators.LT, pairs));
        pairs = b.rearrange(SWAP_PAIRS);
        b = b.blend(pairs, b.compare(VectorOperators.LT, pairs));
        pairs = c.rearrange(SWAP_PAIRS);
        c = c.blend(pairs, c.compare(VectorOperators.LT, pairs));
        pairs = d.rearrange(SWAP_PAIRS);
        d = d.blend(pairs, d.compare(VectorOperators.LT, pairs));
        a = a.blend(0f, a.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        b = b.blend(0f, b.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        c = c.blend(0f, c.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        d = d.blend(0f, d.compare(VectorOperators.LT, 0f)).rearrange(EVENS_TWICE);
        // The low halves, masked; at the array's end through the spill, as a masked store past the
        // end takes a path that allocates (and a half-width store would be a second shape).
        if (out0 + 3 * outPlane + L <= out.length) {
            a.intoArray(out, out0, LOWER_HALF);
            b.intoArray(out, out0 + outPlane, LOWER_HALF);
            c.intoArray(out, out0 + 2 * outPlane, LOWER_HALF);
            d.intoArray(out, out0 + 3 * outPlane, LOWER_HALF);
            return;
        }
        a.intoArray(spill, spillOff);
        b.intoArray(spill, spillOff + L);
        c.intoArray(spill, spillOff + 2 * L);
        d.intoArray(spill, spillOff + 3 * L);
        for (int q = 0; q < FILTERS; q++) {
            System.arraycopy(spill, spillOff + q * L, out, out0 + q * outPlane, L / 2);
        }
    }
}
