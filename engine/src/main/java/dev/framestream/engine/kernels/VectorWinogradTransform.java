package dev.framestream.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Winograd transforms on the Vector API, 8 tiles per vector (neighbouring tiles read
 * neighbouring floats of the split rows); a last run shorter than 8 goes through the scalar code.
 *
 * <p>Validated against {@link ScalarWinogradTransform} by {@code WinogradTransformTest}.
 */
public final class VectorWinogradTransform implements WinogradTransform {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int LANES = 8;
    // Interleaving two vectors: each lane of one half doubled, then every odd lane from the other
    // vector. (The two-vector rearrange does the same but ran several times slower on JDK 25.)
    private static final VectorShuffle<Float> DOUBLE_LOW = VectorShuffle.fromValues(S, 0, 0, 1, 1, 2, 2, 3, 3);
    private static final VectorShuffle<Float> DOUBLE_HIGH = VectorShuffle.fromValues(S, 4, 4, 5, 5, 6, 6, 7, 7);
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromValues(S, false, true, false, true, false, true, false, true);

    @Override
    public void input(float[] src, int evenOff, int oddOff, int rowStride, int count, float[] v, int vOff, int vStride) {
        int t = 0;
        for (; t + LANES <= count; t += LANES) {
            for (int r = 0; r < 4; r++) {
                // One row of B^T d for the window's 4 columns, then B^T on those columns.
                FloatVector w0 = rowCombination(r, src, evenOff + t, rowStride);
                FloatVector w1 = rowCombination(r, src, oddOff + t, rowStride);
                FloatVector w2 = rowCombination(r, src, evenOff + t + 1, rowStride);
                FloatVector w3 = rowCombination(r, src, oddOff + t + 1, rowStride);
                int at = vOff + 4 * r * vStride + t;
                w0.sub(w2).intoArray(v, at);
                w1.add(w2).intoArray(v, at + vStride);
                w2.sub(w1).intoArray(v, at + 2 * vStride);
                w1.sub(w3).intoArray(v, at + 3 * vStride);
            }
        }
        ScalarWinogradTransform.inputTiles(src, evenOff, oddOff, rowStride, t, count, v, vOff, vStride);
    }

    private static FloatVector rowCombination(int r, float[] d, int at, int stride) {
        return switch (r) {
            case 0 -> FloatVector.fromArray(S, d, at).sub(FloatVector.fromArray(S, d, at + 2 * stride));
            case 1 -> FloatVector.fromArray(S, d, at + stride).add(FloatVector.fromArray(S, d, at + 2 * stride));
            case 2 -> FloatVector.fromArray(S, d, at + 2 * stride).sub(FloatVector.fromArray(S, d, at + stride));
            default -> FloatVector.fromArray(S, d, at + stride).sub(FloatVector.fromArray(S, d, at + 3 * stride));
        };
    }

    @Override
    public void output(float[] m, int mOff, int mStride, int count, float bias, boolean relu,
                       float[] out, int topOff, int bottomOff, int columns) {
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        int t = 0;
        for (; t + LANES <= count && 2 * (t + LANES) <= columns; t += LANES) {
            for (int a = 0; a < 2; a++) {
                int rowOff = a == 0 ? topOff : bottomOff;
                if (rowOff < 0) {
                    break;
                }
                FloatVector r0 = outputRow(a, m, mOff + t, mStride);
                FloatVector r1 = outputRow(a, m, mOff + mStride + t, mStride);
                FloatVector r2 = outputRow(a, m, mOff + 2 * mStride + t, mStride);
                FloatVector r3 = outputRow(a, m, mOff + 3 * mStride + t, mStride);
                FloatVector left = r0.add(r1).add(r2).add(bias).max(floor);
                FloatVector right = r1.sub(r2).sub(r3).add(bias).max(floor);
                // The output row alternates the tiles' left and right values.
                left.rearrange(DOUBLE_LOW).blend(right.rearrange(DOUBLE_LOW), ODD_LANES).intoArray(out, rowOff + 2 * t);
                left.rearrange(DOUBLE_HIGH).blend(right.rearrange(DOUBLE_HIGH), ODD_LANES).intoArray(out, rowOff + 2 * t + LANES);
            }
        }
        ScalarWinogradTransform.outputTiles(m, mOff, mStride, t, count, bias, relu, out, topOff, bottomOff, columns);
    }

    @Override
    public void outputPooled(float[] m, int mOff, int mStride, int count, float bias, float[] out, int outOff) {
        int t = 0;
        for (; t + LANES <= count; t += LANES) {
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);   // the bias is added once, after the max
            for (int a = 0; a < 2; a++) {
                FloatVector r0 = outputRow(a, m, mOff + t, mStride);
                FloatVector r1 = outputRow(a, m, mOff + mStride + t, mStride);
                FloatVector r2 = outputRow(a, m, mOff + 2 * mStride + t, mStride);
                FloatVector r3 = outputRow(a, m, mOff + 3 * mStride + t, mStride);
                max = max.max(r0.add(r1).add(r2)).max(r1.sub(r2).sub(r3));
            }
            max.add(bias).max(0f).intoArray(out, outOff + t);
        }
        ScalarWinogradTransform.outputPooledTiles(m, mOff, mStride, t, count, bias, out, outOff);
    }

    private static FloatVector outputRow(int a, float[] m, int at, int stride) {
        FloatVector m1 = FloatVector.fromArray(S, m, at + 4 * stride);
        FloatVector m2 = FloatVector.fromArray(S, m, at + 8 * stride);
        return a == 0
                ? FloatVector.fromArray(S, m, at).add(m1).add(m2)
                : m1.sub(m2).sub(FloatVector.fromArray(S, m, at + 12 * stride));
    }
}
