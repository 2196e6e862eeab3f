package dev.framestream.engine.kernels;

/**
 * The Winograd transforms as the matrix products they are, one tile at a time in plain Java: the
 * reference {@link VectorWinogradTransform} is tested against.
 */
public final class ScalarWinogradTransform implements WinogradTransform {

    @Override
    public void spread(float[] row, int rowOff, int tiles, float[] dst, int dstOff, int[] phaseRows) {
        spread(row, rowOff, 0, tiles, dst, dstOff, phaseRows);
    }

    /** Tiles {@code [from, to)} of {@link #spread}; also the vector kernel's tail. */
    static void spread(float[] row, int rowOff, int from, int to, float[] dst, int dstOff, int[] phaseRows) {
        for (int j = 0; j < 6; j++) {
            for (int tc = from; tc < to; tc++) {
                dst[dstOff + phaseRows[j] + tc] = row[rowOff + TILE * tc + j];
            }
        }
    }

    @Override
    public void input(float[] src, int srcOff, int[] window, float[] v, int vOff, int vStride) {
        float[][] d = new float[6][6];
        for (int t = 0; t < TILES; t++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    d[i][j] = src[srcOff + window[6 * i + j] + t];
                }
            }
            float[][] transformed = timesTransposed(times(B_T, d), B_T);
            for (int r = 0; r < 6; r++) {
                for (int s = 0; s < 6; s++) {
                    v[vOff + (6 * r + s) * vStride + t] = transformed[r][s];
                }
            }
        }
    }

    @Override
    public void output(float[] m, int mOff, int mStride, float[] y, int yOff) {
        for (int t = 0; t < TILES; t++) {
            float[][] block = outputBlock(m, mOff, mStride, t);
            for (int a = 0; a < TILE; a++) {
                for (int b = 0; b < TILE; b++) {
                    y[yOff + (TILE * a + b) * TILES + t] = block[a][b];
                }
            }
        }
    }

    @Override
    public void outputPooled(float[] m, int mOff, int mStride, float[] y, int yOff) {
        for (int t = 0; t < TILES; t++) {
            float[][] block = outputBlock(m, mOff, mStride, t);
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    float max = Math.max(Math.max(block[2 * a][2 * b], block[2 * a][2 * b + 1]),
                            Math.max(block[2 * a + 1][2 * b], block[2 * a + 1][2 * b + 1]));
                    y[yOff + (2 * a + b) * TILES + t] = max;
                }
            }
        }
    }

    private static float[][] outputBlock(float[] m, int mOff, int mStride, int t) {
        float[][] product = new float[6][6];
        for (int r = 0; r < 6; r++) {
            for (int s = 0; s < 6; s++) {
                product[r][s] = m[mOff + (6 * r + s) * mStride + t];
            }
        }
        return timesTransposed(times(A_T, product), A_T);
    }

    /** a · b. */
    private static float[][] times(float[][] a, float[][] b) {
        float[][] c = new float[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                float sum = 0;
                for (int k = 0; k < b.length; k++) {
                    sum += a[i][k] * b[k][j];
                }
                c[i][j] = sum;
            }
        }
        return c;
    }

    /** a · b^T. */
    private static float[][] timesTransposed(float[][] a, float[][] b) {
        float[][] c = new float[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                float sum = 0;
                for (int k = 0; k < b[0].length; k++) {
                    sum += a[i][k] * b[j][k];
                }
                c[i][j] = sum;
            }
        }
        return c;
    }
}
