package dev.framestream.engine.kernels;

/**
 * How {@code rows} rows of A are cut into packed row panels: as many panels of the main height as
 * fit, then the rest as panels of 4, 2 and 1 rows (the heights the micro-kernels exist for). A
 * panel of height h that starts at row r occupies {@code h * depth} floats from {@code r * depth},
 * so offsets need no table.
 */
public final class RowPanels {
    private final int rows;
    private final int mainHeight;
    // Worked out once: a lowered convolution asks for every panel's row and height per 16 pixels,
    // and the two integer divisions per question took a large share of its JFR samples; it runs
    // faster without them (measurements: docs/benchmarks.md#engine-kernels).
    private final int full;
    private final int rest;
    private final int count;

    public RowPanels(int rows, int mainHeight) {
        if (rows < 0 || (mainHeight != 6 && mainHeight != 4)) {
            throw new IllegalArgumentException("bad row panels: " + rows + " rows, height " + mainHeight);
        }
        this.rows = rows;
        this.mainHeight = mainHeight;
        this.full = rows / mainHeight;
        this.rest = rows % mainHeight;
        this.count = full + Integer.bitCount(rest);
    }

    /** Rows of A. */
    public int rows() {
        return rows;
    }

    /** Number of panels. */
    public int count() {
        return count;
    }

    /** First row of panel {@code p}. */
    public int row(int p) {
        if (p < full) {
            return p * mainHeight;
        }
        int row = full * mainHeight;
        for (int piece = 4; p > full && piece > 0; piece >>= 1) {
            if ((rest & piece) != 0) {
                row += piece;
                p--;
            }
        }
        return row;
    }

    /** Height of panel {@code p}: the main height, or 4, 2 or 1 for the last few rows. */
    public int height(int p) {
        if (p < full) {
            return mainHeight;
        }
        for (int piece = 4; piece > 0; piece >>= 1) {
            if ((rest & piece) != 0) {
                if (p == full) {
                    return piece;
                }
                p--;
            }
        }
        throw new IndexOutOfBoundsException("panel " + p + " of " + count());
    }

    /** Floats the packed matrix takes: the same as the unpacked one. */
    public int packedSize(int depth) {
        return rows * depth;
    }

    /**
     * Packs rows {@code [0, rows)} of the row-major matrix {@code src} ({@code depth} columns, row
     * i at {@code srcOff + i * depth}) into {@code dst} from {@code dstOff}.
     */
    public void pack(float[] src, int srcOff, int depth, float[] dst, int dstOff) {
        for (int p = 0, n = count(); p < n; p++) {
            int first = row(p);
            int height = height(p);
            int base = dstOff + first * depth;
            for (int i = 0; i < height; i++) {
                int from = srcOff + (first + i) * depth;
                for (int k = 0; k < depth; k++) {
                    dst[base + k * height + i] = src[from + k];
                }
            }
        }
    }

    /**
     * Packs A = transpose of a block of {@code src}: row i of A is column i of the block, whose
     * {@code depth} rows start at {@code srcOff} and lie {@code ld} apart. A gradient needs the
     * transpose of a matrix the forward pass stores (weights, or the output gradient of a batch).
     */
    public void packTransposed(float[] src, int srcOff, int ld, int depth, float[] dst, int dstOff) {
        for (int p = 0, n = count(); p < n; p++) {
            int first = row(p);
            int height = height(p);
            int base = dstOff + first * depth;
            for (int k = 0; k < depth; k++) {
                int from = srcOff + k * ld + first;
                for (int i = 0; i < height; i++) {
                    dst[base + k * height + i] = src[from + i];
                }
            }
        }
    }
}
