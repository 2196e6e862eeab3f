package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import java.util.Arrays;

/**
 * Multiplies all row panels of a packed A with one packed B panel: the loop both convolution and
 * dense layers run per panel of output columns. It starts the C block (with a dense layer's bias per
 * column, at zero, or as it is), cuts the depth into cache-sized blocks, and runs a last panel
 * narrower than a panel through a full-width tile so the micro-kernel never needs masks.
 */
public final class GemmDriver {
    /*
     * Depth is cut into blocks of KC so the slice of the B panel in use (KC x panel width floats =
     * 16 KB) stays in L1 while every row panel of A passes over it; the row panels' slices (M x KC)
     * stay in L2. Without it the 8192-deep dense layer of CAMERA streams a 512 KB B panel per row
     * panel.
     */
    static final int KC = 4096 / PANEL_WIDTH;

    /** How the C block starts before the products are added. */
    public enum Init {
        /** C[i][j] = bias[j] + A·B: one bias per column, a dense layer's output feature. */
        COLUMN_BIAS,
        /** C[i][j] = A·B: written afresh, C not read first; {@code bias} is not read. */
        ZERO,
        /** C[i][j] += A·B: a gradient summed over examples; {@code bias} is not read. */
        ACCUMULATE
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
     * @param a      A packed as {@code rows} describes, from {@code aOff}
     * @param b      the B panel, {@code depth x PANEL_WIDTH}, from {@code bOff}
     * @param c      output block's first element at {@code cOff}; rows {@code ldc} apart
     * @param cols   valid columns of the panel, 1 to PANEL_WIDTH
     * @param bias   with {@link Init#COLUMN_BIAS} column j starts at {@code bias[biasOff + j]}; otherwise unread (may be null)
     * @param tile   scratch of {@link #tileSize} floats from {@code tileOff}, used only when {@code cols < PANEL_WIDTH}
     */
    public static void multiplyPanel(Gemm gemm, float[] a, int aOff, RowPanels rows, int depth, float[] b, int bOff,
                                     float[] c, int cOff, int ldc, int cols,
                                     Init init, float[] bias, int biasOff, float[] tile, int tileOff) {
        if (cols == PANEL_WIDTH) {
            start(rows.rows(), c, cOff, ldc, init, bias, biasOff);
            accumulate(gemm, a, aOff, rows, depth, b, bOff, c, cOff, ldc, init == Init.ZERO);
            return;
        }
        if (init == Init.ACCUMULATE) {
            // Widen the narrow block into the tile, add to it there, and copy it back.
            for (int i = 0; i < rows.rows(); i++) {
                Arrays.fill(tile, tileOff + i * PANEL_WIDTH, tileOff + (i + 1) * PANEL_WIDTH, 0f);
                System.arraycopy(c, cOff + i * ldc, tile, tileOff + i * PANEL_WIDTH, cols);
            }
        } else if (init == Init.COLUMN_BIAS) {
            // The bias row is as narrow as the panel: widen it in the tile's first row, then repeat it.
            Arrays.fill(tile, tileOff, tileOff + PANEL_WIDTH, 0f);
            System.arraycopy(bias, biasOff, tile, tileOff, cols);
            start(rows.rows(), tile, tileOff, PANEL_WIDTH, init, tile, tileOff);
        } else {
            start(rows.rows(), tile, tileOff, PANEL_WIDTH, init, bias, biasOff);
        }
        accumulate(gemm, a, aOff, rows, depth, b, bOff, tile, tileOff, PANEL_WIDTH, init == Init.ZERO);
        for (int i = 0; i < rows.rows(); i++) {
            System.arraycopy(tile, tileOff + i * PANEL_WIDTH, c, cOff + i * ldc, cols);
        }
    }

    private static void start(int rowCount, float[] c, int cOff, int ldc, Init init, float[] bias, int biasOff) {
        switch (init) {
            case COLUMN_BIAS -> {
                // Copies, not vectors: once per tile, this code stays in C1 for long, where a vector is an object.
                for (int i = 0; i < rowCount; i++) {
                    System.arraycopy(bias, biasOff, c, cOff + i * ldc, PANEL_WIDTH);
                }
            }
            case ZERO, ACCUMULATE -> {
                // ZERO: the first depth block writes C over instead of adding to it.
            }
        }
    }

    /** Adds A·B to C, or with {@code overwrite} writes it over C; a zero depth then writes zeros. */
    private static void accumulate(Gemm gemm, float[] a, int aOff, RowPanels rows, int depth, float[] b, int bOff,
                                   float[] c, int cOff, int ldc, boolean overwrite) {
        if (depth == 0 && overwrite) {
            for (int i = 0; i < rows.rows(); i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + PANEL_WIDTH, 0f);
            }
            return;
        }
        int panels = rows.count();
        // The depth blocks keep a B slice in L1 for the next row panel; with one row panel there is
        // none, and the whole depth in one call lets the 1-row kernel stream its parts at once.
        int block = panels == 1 ? depth : KC;
        for (int k0 = 0; k0 < depth; k0 += block) {
            int kc = Math.min(block, depth - k0);
            boolean add = k0 > 0 || !overwrite;
            for (int p = 0; p < panels; p++) {
                int row = rows.row(p);
                int height = rows.height(p);
                gemm.multiply(a, aOff + row * depth + k0 * height, height, b, bOff + k0 * PANEL_WIDTH, kc,
                        c, cOff + row * ldc, ldc, add);
            }
        }
    }
}
