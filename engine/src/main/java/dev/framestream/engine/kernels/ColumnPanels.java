package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

/** Packs B into the micro-kernel's panels of {@link Gemm#PANEL_WIDTH} columns. */
public final class ColumnPanels {

    private ColumnPanels() {
    }

    /** Number of panels for {@code columns} columns. */
    public static int count(int columns) {
        return (columns + PANEL_WIDTH - 1) / PANEL_WIDTH;
    }

    /**
     * Whether {@code columns} columns fill their panels to more than four fifths. Below that a
     * GEMM spends a fifth or more of its multiply-adds on padding: a convolution's plane of 4, 16
     * or 49 pixels in panels of 32.
     */
    public static boolean mostlyFull(int columns) {
        int width = count(columns) * PANEL_WIDTH;
        return 5 * (width - columns) < width;
    }

    /** Floats that {@code columns} columns of depth {@code depth} take once packed (zero padding included). */
    public static int packedSize(int columns, int depth) {
        return count(columns) * PANEL_WIDTH * depth;
    }

    /**
     * Packs B = transpose(src), where {@code src} is row-major {@code columns x depth} (a dense
     * layer's weights, one output feature per row). Columns past the last are zero.
     */
    public static void packTransposed(float[] src, int columns, int depth, float[] dst) {
        for (int p = 0, panels = count(columns); p < panels; p++) {
            int base = p * PANEL_WIDTH * depth;
            for (int j = 0; j < PANEL_WIDTH; j++) {
                int column = p * PANEL_WIDTH + j;
                for (int k = 0; k < depth; k++) {
                    dst[base + k * PANEL_WIDTH + j] = column < columns ? src[column * depth + k] : 0f;
                }
            }
        }
    }

    /**
     * Packs one panel of B straight from a row-major block: {@code depth} rows from {@code srcOff},
     * {@code ld} apart, of which the first {@code columns} (1 to PANEL_WIDTH) are copied and the rest of the
     * panel is zero.
     */
    public static void packPanel(float[] src, int srcOff, int ld, int depth, int columns, float[] dst, int dstOff) {
        for (int k = 0; k < depth; k++) {
            int to = dstOff + k * PANEL_WIDTH;
            System.arraycopy(src, srcOff + k * ld, dst, to, columns);
            if (columns < PANEL_WIDTH) {
                java.util.Arrays.fill(dst, to + columns, to + PANEL_WIDTH, 0f);
            }
        }
    }

    /** Packs all of B = {@code src}, row-major {@code depth x columns}, panel after panel. */
    public static void pack(float[] src, int columns, int depth, float[] dst) {
        for (int p = 0, panels = count(columns); p < panels; p++) {
            int column = p * PANEL_WIDTH;
            packPanel(src, column, columns, depth, Math.min(PANEL_WIDTH, columns - column), dst, p * PANEL_WIDTH * depth);
        }
    }
}
