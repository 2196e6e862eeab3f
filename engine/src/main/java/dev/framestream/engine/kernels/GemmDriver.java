package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import java.util.Arrays;

/**
 * Multiplies all row panels of a packed A with one packed B panel: the loop both convolution and
 * dense layers run per 16 output columns. It starts the C block (zero, bias per row or per
 * column), cuts the depth into cache-sized blocks, and runs a last panel narrower than 16
 * columns through a 16-wide tile so the micro-kernel never needs masks.
 */
public final class GemmDriver {
    /*
     * Depth is cut into blocks of KC so the slice of the B panel in use (KC x 16 floats = 16 KB)
     * stays in L1 while every row panel of A passes over it; the row panels' slices (M x KC) stay in
     * L2. Without it the 8192-deep dense layer of CAMERA streams a 512 KB B panel per row panel.
     */
    static final int KC = 256;

    /** How the C block starts before the products are added. */
    public enum Init {
        /** C = A·B. */
        ZERO,
        /** C[i][j] = bias[i] + A·B: one bias per row, a convolution's output channel. */
        ROW_BIAS,
        /** C[i][j] = bias[j] + A·B: one bias per column, a dense layer's output feature. */
        COLUMN_BIAS
    }

    private GemmDriver() {
    }

    /** Floats of tile {@link #multiplyPanel} needs for {@code rows} rows of C. */
    public static int tileSize(int rows) {
        return rows * PANEL_WIDTH;
    }

    /**
     * C[rows][cols] = init + A·B for one B panel.
     *
     * @param a      A packed as {@code rows} describes, from offset 0
     * @param b      the B panel, {@code depth x 16}, from {@code bOff}
     * @param c      output block's first element at {@code cOff}; rows {@code ldc} apart
     * @param cols   valid columns of the panel, 1 to 16
     * @param bias   with {@link Init#ROW_BIAS} row i starts at {@code bias[biasOff + i]}, with
     *               {@link Init#COLUMN_BIAS} column j at {@code bias[biasOff + j]}
     * @param tile   scratch of {@link #tileSize} floats from {@code tileOff}, used only when {@code cols < 16}
     */
    public static void multiplyPanel(Gemm gemm, float[] a, RowPanels rows, int depth, float[] b, int bOff,
                                     float[] c, int cOff, int ldc, int cols,
                                     Init init, float[] bias, int biasOff, float[] tile, int tileOff) {
        if (cols == PANEL_WIDTH) {
            start(rows.rows(), c, cOff, ldc, PANEL_WIDTH, init, bias, biasOff);
            accumulate(gemm, a, rows, depth, b, bOff, c, cOff, ldc);
            return;
        }
        start(rows.rows(), tile, tileOff, PANEL_WIDTH, cols, init, bias, biasOff);
        accumulate(gemm, a, rows, depth, b, bOff, tile, tileOff, PANEL_WIDTH);
        for (int i = 0; i < rows.rows(); i++) {
            System.arraycopy(tile, tileOff + i * PANEL_WIDTH, c, cOff + i * ldc, cols);
        }
    }

    private static void start(int rowCount, float[] c, int cOff, int ldc, int cols, Init init, float[] bias, int biasOff) {
        for (int i = 0; i < rowCount; i++) {
            int row = cOff + i * ldc;
            switch (init) {
                case ZERO -> Arrays.fill(c, row, row + PANEL_WIDTH, 0f);
                case ROW_BIAS -> Arrays.fill(c, row, row + PANEL_WIDTH, bias[biasOff + i]);
                case COLUMN_BIAS -> {
                    System.arraycopy(bias, biasOff, c, row, cols);
                    Arrays.fill(c, row + cols, row + PANEL_WIDTH, 0f);
                }
            }
        }
    }

    private static void accumulate(Gemm gemm, float[] a, RowPanels rows, int depth, float[] b, int bOff,
                                   float[] c, int cOff, int ldc) {
        int panels = rows.count();
        for (int k0 = 0; k0 < depth; k0 += KC) {
            int kc = Math.min(KC, depth - k0);
            for (int p = 0; p < panels; p++) {
                int row = rows.row(p);
                int height = rows.height(p);
                gemm.multiplyAdd(a, row * depth + k0 * height, height, b, bOff + k0 * PANEL_WIDTH, kc,
                        c, cOff + row * ldc, ldc);
            }
        }
    }
}
