package dev.framestream.engine.kernels;

/**
 * The Winograd transforms one tile at a time in plain Java: the reference {@link
 * VectorWinogradTransform} is tested against, and its tail for runs shorter than a vector.
 */
public final class ScalarWinogradTransform implements WinogradTransform {

    @Override
    public void input(float[] src, int evenOff, int oddOff, int rowStride, int count, float[] v, int vOff, int vStride) {
        inputTiles(src, evenOff, oddOff, rowStride, 0, count, v, vOff, vStride);
    }

    @Override
    public void output(float[] m, int mOff, int mStride, int count, float bias, boolean relu,
                       float[] out, int topOff, int bottomOff, int columns) {
        outputTiles(m, mOff, mStride, 0, count, bias, relu, out, topOff, bottomOff, columns);
    }

    @Override
    public void outputPooled(float[] m, int mOff, int mStride, int count, float bias, float[] out, int outOff) {
        outputPooledTiles(m, mOff, mStride, 0, count, bias, out, outOff);
    }

    /*
     * B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1] on the rows of the 4x4 window first, then on
     * its columns. A tile's columns 0..3 are even[t], odd[t], even[t + 1], odd[t + 1]. Plain
     * and allocation-free rather than fast: each row combination reloads its column.
     */
    static void inputTiles(float[] src, int evenOff, int oddOff, int rowStride, int from, int to, float[] v, int vOff, int vStride) {
        for (int t = from; t < to; t++) {
            for (int r = 0; r < 4; r++) {
                float w0 = rowCombination(r, src, evenOff + t, rowStride);
                float w1 = rowCombination(r, src, oddOff + t, rowStride);
                float w2 = rowCombination(r, src, evenOff + t + 1, rowStride);
                float w3 = rowCombination(r, src, oddOff + t + 1, rowStride);
                int at = vOff + 4 * r * vStride + t;
                v[at] = w0 - w2;
                v[at + vStride] = w1 + w2;
                v[at + 2 * vStride] = w2 - w1;
                v[at + 3 * vStride] = w1 - w3;
            }
        }
    }

    /** Row r of B^T applied to the column of 4 values from {@code at}, {@code stride} apart. */
    private static float rowCombination(int r, float[] d, int at, int stride) {
        return switch (r) {
            case 0 -> d[at] - d[at + 2 * stride];
            case 1 -> d[at + stride] + d[at + 2 * stride];
            case 2 -> d[at + 2 * stride] - d[at + stride];
            default -> d[at + stride] - d[at + 3 * stride];
        };
    }

    /* A^T = [1 1 1 0; 0 1 -1 -1] on the rows of M, then on the columns. */
    static void outputTiles(float[] m, int mOff, int mStride, int from, int to, float bias, boolean relu,
                            float[] out, int topOff, int bottomOff, int columns) {
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        for (int t = from; t < to; t++) {
            for (int a = 0; a < 2; a++) {
                int rowOff = a == 0 ? topOff : bottomOff;
                if (rowOff < 0) {
                    break;
                }
                float r0 = outputRow(a, m, mOff + t, mStride);
                float r1 = outputRow(a, m, mOff + mStride + t, mStride);
                float r2 = outputRow(a, m, mOff + 2 * mStride + t, mStride);
                float r3 = outputRow(a, m, mOff + 3 * mStride + t, mStride);
                out[rowOff + 2 * t] = Math.max(r0 + r1 + r2 + bias, floor);
                if (2 * t + 1 < columns) {
                    out[rowOff + 2 * t + 1] = Math.max(r1 - r2 - r3 + bias, floor);
                }
            }
        }
    }

    static void outputPooledTiles(float[] m, int mOff, int mStride, int from, int to, float bias, float[] out, int outOff) {
        for (int t = from; t < to; t++) {
            float max = 0f;
            for (int a = 0; a < 2; a++) {
                float r0 = outputRow(a, m, mOff + t, mStride);
                float r1 = outputRow(a, m, mOff + mStride + t, mStride);
                float r2 = outputRow(a, m, mOff + 2 * mStride + t, mStride);
                float r3 = outputRow(a, m, mOff + 3 * mStride + t, mStride);
                max = Math.max(max, Math.max(r0 + r1 + r2 + bias, r1 - r2 - r3 + bias));
            }
            out[outOff + t] = max;
        }
    }

    /** Row a of A^T applied to column s of M, whose rows are {@code 4 * stride} apart. */
    private static float outputRow(int a, float[] m, int at, int stride) {
        return a == 0
                ? m[at] + m[at + 4 * stride] + m[at + 8 * stride]
                : m[at + 4 * stride] - m[at + 8 * stride] - m[at + 12 * stride];
    }
}
