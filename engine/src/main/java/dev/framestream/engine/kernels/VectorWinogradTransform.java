package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Lanes.L;
import static dev.framestream.engine.kernels.Lanes.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * The Winograd F(4x4, 3x3) transforms on the Vector API, a vector of tiles at a time: a block's
 * tiles (one GEMM panel) are two vectors. The matrix products are written out with their common
 * terms shared (each row of B^T and A^T below is one of them), so a transform costs a few adds
 * per value.
 *
 * <p>Validated against {@link ScalarWinogradTransform} by {@code WinogradTransformTest}.
 */
public final class VectorWinogradTransform implements WinogradTransform {
    /*
     * Of two vectors that hold half a vector of tiles' 4 phases each (indices L and up pick from
     * the second): phase p of each tile, in both halves of the result.
     */
    private static final VectorShuffle<Float> PHASE_0 = phase(0);
    private static final VectorShuffle<Float> PHASE_1 = phase(1);
    private static final VectorShuffle<Float> PHASE_2 = phase(2);
    private static final VectorShuffle<Float> PHASE_3 = phase(3);
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(S, ((1L << L) - 1) & ~((1L << (L / 2)) - 1));

    private static VectorShuffle<Float> phase(int p) {
        return Lanes.shuffle(i -> 4 * (i % (L / 2)) + p);
    }

    /*
     * spread: a vector of tiles at a time, as a transpose of 4 contiguous loads (each a quarter of
     * the tiles' 4 phases) into 4 phase vectors: each phase from the first two loads and from the
     * last two, joined by halves; phases 4 and 5 are phases 0 and 1 one tile on. The JDK's
     * index-mapped gather is no intrinsic here and allocated per call: 34 MB per CAMERA batch.
     */
    @Override
    public void spread(float[] row, int rowOff, int tiles, float[] dst, int dstOff, int[] phaseRows) {
        int tc = 0;
        for (; tc + L <= tiles; tc += L) {
            int at = rowOff + TILE * tc;
            FloatVector a = FloatVector.fromArray(S, row, at);
            FloatVector b = FloatVector.fromArray(S, row, at + L);
            FloatVector c = FloatVector.fromArray(S, row, at + 2 * L);
            FloatVector d = FloatVector.fromArray(S, row, at + 3 * L);
            FloatVector phase0 = a.rearrange(PHASE_0, b).blend(c.rearrange(PHASE_0, d), UPPER_HALF);
            FloatVector phase1 = a.rearrange(PHASE_1, b).blend(c.rearrange(PHASE_1, d), UPPER_HALF);
            int out = dstOff + tc;
            phase0.intoArray(dst, out + phaseRows[0]);
            phase1.intoArray(dst, out + phaseRows[1]);
            a.rearrange(PHASE_2, b).blend(c.rearrange(PHASE_2, d), UPPER_HALF).intoArray(dst, out + phaseRows[2]);
            a.rearrange(PHASE_3, b).blend(c.rearrange(PHASE_3, d), UPPER_HALF).intoArray(dst, out + phaseRows[3]);
            phase0.slice(1, FloatVector.broadcast(S, row[at + 4 * L])).intoArray(dst, out + phaseRows[4]);
            phase1.slice(1, FloatVector.broadcast(S, row[at + 4 * L + 1])).intoArray(dst, out + phaseRows[5]);
        }
        ScalarWinogradTransform.spread(row, rowOff, tc, tiles, dst, dstOff, phaseRows);
    }

    @Override
    public void input(float[] src, int srcOff, int[] window, float[] v, int vOff, int vStride) {
        for (int t = 0; t < TILES; t += L) {
            // B^T on each window column, into V as scratch, then B^T on each row of that, in place.
            for (int j = 0; j < 6; j++) {
                int at = srcOff + t;
                applyB(src, at + window[j], at + window[6 + j], at + window[12 + j], at + window[18 + j], at + window[24 + j],
                        at + window[30 + j], v, vOff + j * vStride + t, 6 * vStride);
            }
            for (int r = 0; r < 6; r++) {
                int row = vOff + 6 * r * vStride + t;
                applyB(v, row, row + vStride, row + 2 * vStride, row + 3 * vStride, row + 4 * vStride, row + 5 * vStride,
                        v, row, vStride);
            }
        }
    }

    /**
     * B^T x for the column x0..x5 at {@code at0..at5} in {@code x}, its 6 values stored
     * {@code stride} apart from {@code off}. The column comes as offsets, not vectors: a call C2
     * declines to inline boxes the vectors passed to it, which would allocate per tile.
     */
    private static void applyB(float[] x, int at0, int at1, int at2, int at3, int at4, int at5, float[] out, int off, int stride) {
        FloatVector x0 = FloatVector.fromArray(S, x, at0);
        FloatVector x1 = FloatVector.fromArray(S, x, at1);
        FloatVector x2 = FloatVector.fromArray(S, x, at2);
        FloatVector x3 = FloatVector.fromArray(S, x, at3);
        FloatVector x4 = FloatVector.fromArray(S, x, at4);
        FloatVector x5 = FloatVector.fromArray(S, x, at5);
        FloatVector sum34 = x3.add(x4);
        FloatVector sum12 = x1.add(x2);
        FloatVector diff43 = x4.sub(x3);
        FloatVector diff12 = x1.sub(x2);
        FloatVector diff42 = x4.sub(x2);
        FloatVector diff31 = x3.sub(x1).mul(2f);
        x0.mul(4f).add(x4).sub(x2.mul(5f)).intoArray(out, off);
        sum34.sub(sum12.mul(4f)).intoArray(out, off + stride);
        diff43.add(diff12.mul(4f)).intoArray(out, off + 2 * stride);
        diff42.add(diff31).intoArray(out, off + 3 * stride);
        diff42.sub(diff31).intoArray(out, off + 4 * stride);
        x1.mul(4f).add(x5).sub(x3.mul(5f)).intoArray(out, off + 5 * stride);
    }

    /** Overwrites M: its first 4 rows take A^T M on the way. */
    @Override
    public void output(float[] m, int mOff, int mStride, float[] y, int yOff) {
        for (int t = 0; t < TILES; t += L) {
            rowsOfOutput(m, mOff + t, mStride);
            for (int a = 0; a < TILE; a++) {
                int row = mOff + 6 * a * mStride + t;
                int out = yOff + TILE * a * TILES + t;
                applyA(m, row, mStride, y, out, TILES);
            }
        }
    }

    /** Overwrites M like {@link #output}; Y's rows hold the unpooled rows on the way. */
    @Override
    public void outputPooled(float[] m, int mOff, int mStride, float[] y, int yOff) {
        output(m, mOff, mStride, y, yOff);
        for (int t = 0; t < TILES; t += L) {
            for (int a = 0; a < 2; a++) {
                int top = yOff + 2 * a * TILE * TILES + t;
                int bottom = top + TILE * TILES;
                FloatVector left = FloatVector.fromArray(S, y, top).max(FloatVector.fromArray(S, y, top + TILES))
                        .max(FloatVector.fromArray(S, y, bottom).max(FloatVector.fromArray(S, y, bottom + TILES)));
                FloatVector right = FloatVector.fromArray(S, y, top + 2 * TILES).max(FloatVector.fromArray(S, y, top + 3 * TILES))
                        .max(FloatVector.fromArray(S, y, bottom + 2 * TILES).max(FloatVector.fromArray(S, y, bottom + 3 * TILES)));
                // Pooled rows land before the unpooled rows they are read from are needed again.
                left.intoArray(y, yOff + 2 * a * TILES + t);
                right.intoArray(y, yOff + (2 * a + 1) * TILES + t);
            }
        }
    }

    /** A^T on every column of M (rows 6 * stride apart from {@code at}), written over the column's first 4 rows. */
    private static void rowsOfOutput(float[] m, int at, int stride) {
        for (int s = 0; s < 6; s++) {
            int column = at + s * stride;
            applyA(m, column, 6 * stride, m, column, 6 * stride);
        }
    }

    /**
     * A^T x for the column x0..x5, {@code step} apart from {@code at} in {@code x}, its 4 values
     * stored {@code stride} apart from {@code off} (as offsets for {@link #applyB}'s reason).
     */
    private static void applyA(float[] x, int at, int step, float[] out, int off, int stride) {
        FloatVector x0 = FloatVector.fromArray(S, x, at);
        FloatVector x1 = FloatVector.fromArray(S, x, at + step);
        FloatVector x2 = FloatVector.fromArray(S, x, at + 2 * step);
        FloatVector x3 = FloatVector.fromArray(S, x, at + 3 * step);
        FloatVector x4 = FloatVector.fromArray(S, x, at + 4 * step);
        FloatVector x5 = FloatVector.fromArray(S, x, at + 5 * step);
        FloatVector sum12 = x1.add(x2);
        FloatVector diff12 = x1.sub(x2);
        FloatVector sum34 = x3.add(x4);
        FloatVector diff34 = x3.sub(x4);
        x0.add(sum12).add(sum34).intoArray(out, off);
        diff12.add(diff34.mul(2f)).intoArray(out, off + stride);
        sum12.add(sum34.mul(4f)).intoArray(out, off + 2 * stride);
        diff12.add(diff34.mul(8f)).add(x5).intoArray(out, off + 3 * stride);
    }
}
