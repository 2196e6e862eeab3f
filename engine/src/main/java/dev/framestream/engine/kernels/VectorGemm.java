package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Lanes.L;
import static dev.framestream.engine.kernels.Lanes.S;

import jdk.incubator.vector.FloatVector;

/**
 * The GEMM micro-kernel on the Vector API: a panel row is two vectors ({@link VectorWidth}), one
 * method per panel height.
 *
 * <p>Validated against {@link ScalarGemm} by {@code GemmTest} on every height.
 */
public final class VectorGemm implements Gemm {
    /*
     * Register budget (on Zen AVX2; measurements: docs/benchmarks.md#engine-kernels): C2 keeps the
     * B loads and the A broadcasts in registers next to the accumulators, so accumulators + 2 +
     * height must stay within the 16 ymm registers or the accumulators spill into the FMA chain
     * (AVX-512 has 32 zmm registers, where 6 rows fit either way).
     * 4 rows (8 + 2 + 4 = 14) always fits; 6 rows (12 + 2 + 6 = 20) only runs spill-free with
     * -XX:-OptoRegScheduling, which the launcher sets, and is then faster. Kernels picks the
     * height from the flag.
     *
     * Each method is one flat k-loop between plain loads and stores of C: no manual unrolling
     * (it spilled), and no bias or mask handling (GemmDriver does that), because a bigger method
     * made C1 give up ("out of virtual registers") and left the kernel in slow code for seconds.
     */
    /*
     * Where the accumulators start from when C is not added to: a zero tile row read like C, at
     * offsets that collapse to 0 and L. A helper returning either vector would box them whenever
     * C2 declines to inline it, which would allocate per tile.
     */
    private static final float[] ZEROS = new float[PANEL_WIDTH];

    private final int mainPanelHeight;

    /** @param mainPanelHeight 6 or 4: the height {@link RowPanels} packs most of A with */
    public VectorGemm(int mainPanelHeight) {
        if (mainPanelHeight != 6 && mainPanelHeight != 4) {
            throw new IllegalArgumentException("VectorGemm panels are 6 or 4 rows high, got " + mainPanelHeight);
        }
        this.mainPanelHeight = mainPanelHeight;
    }

    @Override
    public int mainPanelHeight() {
        return mainPanelHeight;
    }

    @Override
    public void multiply(float[] a, int aOff, int rows, float[] b, int bOff, int depth, float[] c, int cOff, int ldc, boolean add) {
        switch (rows) {
            case 6 -> rows6(a, aOff, b, bOff, depth, c, cOff, ldc, add);
            case 4 -> rows4(a, aOff, b, bOff, depth, c, cOff, ldc, add);
            case 2 -> rows2(a, aOff, b, bOff, depth, c, cOff, ldc, add);
            case 1 -> rows1(a, aOff, b, bOff, depth, c, cOff, ldc, add);
            default -> throw new IllegalArgumentException("row panels are 6, 4, 2 or 1 rows high, got " + rows);
        }
    }

    /** 6 rows: 12 accumulators, 2 B loads and 6 broadcasts per k. */
    private static void rows6(float[] a, int aOff, float[] b, int bOff, int depth, float[] c, int cOff, int ldc, boolean add) {
        float[] from = add ? c : ZEROS;
        int at = add ? cOff : 0;
        int ld = add ? ldc : 0;
        FloatVector c00 = FloatVector.fromArray(S, from, at);
        FloatVector c01 = FloatVector.fromArray(S, from, at + L);
        FloatVector c10 = FloatVector.fromArray(S, from, at + ld);
        FloatVector c11 = FloatVector.fromArray(S, from, at + ld + L);
        FloatVector c20 = FloatVector.fromArray(S, from, at + 2 * ld);
        FloatVector c21 = FloatVector.fromArray(S, from, at + 2 * ld + L);
        FloatVector c30 = FloatVector.fromArray(S, from, at + 3 * ld);
        FloatVector c31 = FloatVector.fromArray(S, from, at + 3 * ld + L);
        FloatVector c40 = FloatVector.fromArray(S, from, at + 4 * ld);
        FloatVector c41 = FloatVector.fromArray(S, from, at + 4 * ld + L);
        FloatVector c50 = FloatVector.fromArray(S, from, at + 5 * ld);
        FloatVector c51 = FloatVector.fromArray(S, from, at + 5 * ld + L);
        for (int k = 0; k < depth; k++) {
            int ai = aOff + k * 6;
            int bi = bOff + k * PANEL_WIDTH;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
    }

    /** 4 rows: 8 accumulators, 2 B loads and 4 broadcasts per k. */
    private static void rows4(float[] a, int aOff, float[] b, int bOff, int depth, float[] c, int cOff, int ldc, boolean add) {
        float[] from = add ? c : ZEROS;
        int at = add ? cOff : 0;
        int ld = add ? ldc : 0;
        FloatVector c00 = FloatVector.fromArray(S, from, at);
        FloatVector c01 = FloatVector.fromArray(S, from, at + L);
        FloatVector c10 = FloatVector.fromArray(S, from, at + ld);
        FloatVector c11 = FloatVector.fromArray(S, from, at + ld + L);
        FloatVector c20 = FloatVector.fromArray(S, from, at + 2 * ld);
        FloatVector c21 = FloatVector.fromArray(S, from, at + 2 * ld + L);
        FloatVector c30 = FloatVector.fromArray(S, from, at + 3 * ld);
        FloatVector c31 = FloatVector.fromArray(S, from, at + 3 * ld + L);
        for (int k = 0; k < depth; k++) {
            int ai = aOff + k * 4;
            int bi = bOff + k * PANEL_WIDTH;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
    }

    /** 2 rows: 4 accumulators, 2 B loads and 2 broadcasts per k. */
    private static void rows2(float[] a, int aOff, float[] b, int bOff, int depth, float[] c, int cOff, int ldc, boolean add) {
        float[] from = add ? c : ZEROS;
        int at = add ? cOff : 0;
        int ld = add ? ldc : 0;
        FloatVector c00 = FloatVector.fromArray(S, from, at);
        FloatVector c01 = FloatVector.fromArray(S, from, at + L);
        FloatVector c10 = FloatVector.fromArray(S, from, at + ld);
        FloatVector c11 = FloatVector.fromArray(S, from, at + ld + L);
        for (int k = 0; k < depth; k++) {
            int ai = aOff + k * 2;
            int bi = bOff + k * PANEL_WIDTH;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
    }

    /**
     * 1 row (a dense layer at batch 1: a GEMV streaming the weights). With 2 accumulators the loop
     * would wait on FMA latency, so k is split into 4 contiguous quarters with 2 accumulators each
     * (1 + L + 2 registers leave no risk of spilling, unlike the taller kernels). The quarters are
     * 4 streams through the panel rather than one, so a weight matrix that comes from memory
     * arrives faster than through a single stream (measurements: docs/benchmarks.md#engine-kernels).
     */
    private static void rows1(float[] a, int aOff, float[] b, int bOff, int depth, float[] c, int cOff, int ldc, boolean add) {
        float[] from = add ? c : ZEROS;
        int at = add ? cOff : 0;
        int ld = add ? ldc : 0;
        FloatVector c00 = FloatVector.fromArray(S, from, at);
        FloatVector c01 = FloatVector.fromArray(S, from, at + L);
        FloatVector c10 = FloatVector.zero(S), c11 = c10, c20 = c10, c21 = c10, c30 = c10, c31 = c10;
        int q = depth / 4;
        int q1 = q * PANEL_WIDTH;
        int q2 = 2 * q1;
        int q3 = 3 * q1;
        for (int k = 0; k < q; k++) {
            int bi = bOff + k * PANEL_WIDTH;
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + k]);
            c00 = a0.fma(FloatVector.fromArray(S, b, bi), c00);
            c01 = a0.fma(FloatVector.fromArray(S, b, bi + L), c01);
            FloatVector a1 = FloatVector.broadcast(S, a[aOff + q + k]);
            c10 = a1.fma(FloatVector.fromArray(S, b, bi + q1), c10);
            c11 = a1.fma(FloatVector.fromArray(S, b, bi + q1 + L), c11);
            FloatVector a2 = FloatVector.broadcast(S, a[aOff + 2 * q + k]);
            c20 = a2.fma(FloatVector.fromArray(S, b, bi + q2), c20);
            c21 = a2.fma(FloatVector.fromArray(S, b, bi + q2 + L), c21);
            FloatVector a3 = FloatVector.broadcast(S, a[aOff + 3 * q + k]);
            c30 = a3.fma(FloatVector.fromArray(S, b, bi + q3), c30);
            c31 = a3.fma(FloatVector.fromArray(S, b, bi + q3 + L), c31);
        }
        for (int k = 4 * q; k < depth; k++) {
            int bi = bOff + k * PANEL_WIDTH;
            FloatVector a0 = FloatVector.broadcast(S, a[aOff + k]);
            c00 = a0.fma(FloatVector.fromArray(S, b, bi), c00);
            c01 = a0.fma(FloatVector.fromArray(S, b, bi + L), c01);
        }
        c00.add(c10).add(c20.add(c30)).intoArray(c, cOff);
        c01.add(c11).add(c21.add(c31)).intoArray(c, cOff + L);
    }
}
