package dev.framestream.engine.kernels;

/**
 * The GEMM micro-kernel: one packed row panel of A times one packed panel of B ({@link #PANEL_WIDTH} columns), added
 * into a block of C. {@link GemmDriver} loops over panels, starts C (zero or bias) and handles a
 * last panel narrower than a panel; the kernel itself stays small enough for C2 to compile it whole.
 */
public interface Gemm {

    /** Columns in one packed B panel: two vectors ({@link VectorWidth}), 16 or 32. */
    int PANEL_WIDTH = 2 * VectorWidth.FLOATS;

    /** Height of the row panels this kernel is fastest on; {@link RowPanels} packs A with it. */
    int mainPanelHeight();

    /**
     * C[i][j] = sum over k of A[i][k] * B[k][j] for i &lt; rows and all panel columns j, added to what
     * C holds when {@code add}, else written over it (C is then not read, so a block that starts
     * at zero needs no zeroing pass).
     *
     * @param a      row panel of {@code rows} rows (6, 4, 2 or 1), k-major, starting at {@code aOff}
     * @param b      B panel, k-major, starting at {@code bOff}
     * @param depth  the shared dimension k
     * @param c      row-major output; the block starts at {@code cOff}, rows {@code ldc} apart
     */
    void multiply(float[] a, int aOff, int rows, float[] b, int bOff, int depth, float[] c, int cOff, int ldc, boolean add);
}
