package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import java.util.Arrays;

/**
 * Lowers one example's convolution input straight into the GEMM's packed B panels
 * (im2col): column j of B is output pixel j, row k is (input channel, kernel row, kernel column).
 *
 * <p>The panels are cut from the {@link PaddedInput}, so a panel
 * row is a few contiguous runs of the padded input with no bounds tests; with stride 1 a panel
 * that stays on one output row is a single copy of a panel's width.
 */
public final class Im2colPanels {
    /** Pixels of each row in a row-pair panel: half a panel, one vector. */
    public static final int PAIR_WIDTH = PANEL_WIDTH / 2;
    /*
     * Writing the packed layout directly (instead of im2col then packing) halves the memory traffic
     * of the lowering, which bounds small-M convolutions (measurements:
     * docs/benchmarks.md#engine-kernels).
     */
    private final Elementwise copier;
    private final int stride;
    private final int[] depthOffset;     // per k: offset of (channel, kernel row, kernel column) in the padded input
    private final int[] panelRuns;       // per panel: index of its first run; one extra entry at the end
    private final int[] runColumn;       // per run: first column within the panel
    private final int[] runLength;
    private final int[] runSource;       // per run: offset of its first pixel's window in the padded input

    /**
     * Panels of {@code PANEL_WIDTH} output pixels in raster order, or with {@code rowPairs}
     * {@link #PAIR_WIDTH} pixels of an even output row followed by the ones below them, the pairs
     * in raster order ({@link #rowPairsApply}): the 2x2 pooling windows a fused max-pool reduces
     * within the panel.
     */
    public Im2colPanels(Elementwise copier, int channels, PaddedInput padded, int kernelHeight, int kernelWidth, int stride,
                        int outHeight, int outWidth, boolean rowPairs) {
        if (rowPairs && !rowPairsApply(outHeight, outWidth)) {
            throw new IllegalArgumentException("row-pair panels need an even output height and a width that is a multiple of "
                    + PAIR_WIDTH + ", got "
                    + outHeight + "x" + outWidth);
        }
        this.copier = copier;
        this.stride = stride;
        int paddedHeight = padded.height();
        int paddedWidth = padded.width();
        int outputPixels = outHeight * outWidth;
        this.depthOffset = new int[channels * kernelHeight * kernelWidth];
        int k = 0;
        for (int c = 0; c < channels; c++) {
            for (int kh = 0; kh < kernelHeight; kh++) {
                for (int kw = 0; kw < kernelWidth; kw++) {
                    depthOffset[k++] = (c * paddedHeight + kh) * paddedWidth + kw;
                }
            }
        }
        int panels = ColumnPanels.count(outputPixels);
        this.panelRuns = new int[panels + 1];
        int maxRuns = panels * PANEL_WIDTH;
        int[] column = new int[maxRuns];
        int[] length = new int[maxRuns];
        int[] source = new int[maxRuns];
        int runs = 0;
        for (int p = 0; p < panels; p++) {
            panelRuns[p] = runs;
            int columns = Math.min(PANEL_WIDTH, outputPixels - p * PANEL_WIDTH);
            // A run is a stretch of columns whose pixels follow each other on one output row.
            for (int j = 0; j < columns; ) {
                int pixel = pixel(p, j, outWidth, rowPairs);
                int len = 1;
                while (j + len < columns && pixel(p, j + len, outWidth, rowPairs) == pixel + len && (pixel + len) % outWidth != 0) {
                    len++;
                }
                int oh = pixel / outWidth;
                int ow = pixel % outWidth;
                column[runs] = j;
                length[runs] = len;
                source[runs] = oh * stride * paddedWidth + ow * stride;
                runs++;
                j += len;
            }
        }
        panelRuns[panels] = runs;
        this.runColumn = Arrays.copyOf(column, runs);
        this.runLength = Arrays.copyOf(length, runs);
        this.runSource = Arrays.copyOf(source, runs);
    }

    /** Whether an output can be cut into row-pair panels: an even height and whole groups of {@link #PAIR_WIDTH} columns. */
    public static boolean rowPairsApply(int outHeight, int outWidth) {
        return outHeight % 2 == 0 && outWidth % PAIR_WIDTH == 0;
    }

    /** The output pixel in column j of panel p: raster order, or a row pair's. */
    private static int pixel(int p, int j, int outWidth, boolean rowPairs) {
        if (!rowPairs) {
            return p * PANEL_WIDTH + j;
        }
        int groups = outWidth / PAIR_WIDTH;
        int row = 2 * (p / groups) + j / PAIR_WIDTH;
        return row * outWidth + (p % groups) * PAIR_WIDTH + j % PAIR_WIDTH;
    }

    /** Writes B panel {@code panel} (depth x panel width) to {@code dst} from {@code dstOff}. */
    public void packPanel(float[] src, int srcOff, int panel, float[] dst, int dstOff) {
        // Run by run, so the inner loop is one copy of a fixed length per depth row.
        for (int r = panelRuns[panel], endRun = panelRuns[panel + 1]; r < endRun; r++) {
            int from = srcOff + runSource[r];
            int to = dstOff + runColumn[r];
            int len = runLength[r];
            for (int k = 0; k < depthOffset.length; k++) {
                int s = from + depthOffset[k];
                int d = to + k * PANEL_WIDTH;
                if (stride == 1) {
                    copier.copy(src, s, dst, d, len);
                } else if (stride == 2) {
                    copier.copyEvens(src, s, dst, d, len);
                } else {
                    for (int t = 0; t < len; t++) {
                        dst[d + t] = src[s + t * stride];
                    }
                }
            }
        }
    }
}
