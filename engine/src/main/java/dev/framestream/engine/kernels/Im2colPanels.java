package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import java.util.Arrays;

/**
 * Lowers one example's convolution input straight into the GEMM's packed 16-column B panels
 * (im2col): column j of B is output pixel j, row k is (input channel, kernel row, kernel column).
 *
 * <p>The panels are cut from the {@link PaddedInput}, so a panel
 * row is a few contiguous runs of the padded input with no bounds tests; with stride 1 a panel
 * that stays on one output row is a single 16-float copy.
 */
public final class Im2colPanels {
    /*
     * Writing the packed layout directly (instead of im2col then packing) halves the memory traffic
     * of the lowering, which bounds small-M convolutions: conv 5x5 8->16 went from 36 to 62 GFLOP/s
     * on one core when measured (DESIGN.md).
     */
    private final Elementwise copier;
    private final int stride;
    private final int[] depthOffset;     // per k: offset of (channel, kernel row, kernel column) in the padded input
    private final int[] panelRuns;       // per panel: index of its first run; one extra entry at the end
    private final int[] runColumn;       // per run: first column within the panel
    private final int[] runLength;
    private final int[] runSource;       // per run: offset of its first pixel's window in the padded input

    public Im2colPanels(Elementwise copier, int channels, PaddedInput padded, int kernelHeight, int kernelWidth, int stride,
                        int outHeight, int outWidth) {
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
            int end = Math.min(outputPixels, (p + 1) * PANEL_WIDTH);
            for (int pixel = p * PANEL_WIDTH; pixel < end; ) {
                int oh = pixel / outWidth;
                int ow = pixel % outWidth;
                int len = Math.min(end - pixel, outWidth - ow);
                column[runs] = pixel - p * PANEL_WIDTH;
                length[runs] = len;
                source[runs] = oh * stride * paddedWidth + ow * stride;
                runs++;
                pixel += len;
            }
        }
        panelRuns[panels] = runs;
        this.runColumn = Arrays.copyOf(column, runs);
        this.runLength = Arrays.copyOf(length, runs);
        this.runSource = Arrays.copyOf(source, runs);
    }

    /** Writes B panel {@code panel} (depth x 16) to {@code dst} from {@code dstOff}. */
    public void packPanel(float[] src, int srcOff, int panel, float[] dst, int dstOff) {
        int firstRun = panelRuns[panel];
        int endRun = panelRuns[panel + 1];
        for (int k = 0; k < depthOffset.length; k++) {
            int rowBase = srcOff + depthOffset[k];
            int d = dstOff + k * PANEL_WIDTH;
            for (int r = firstRun; r < endRun; r++) {
                int s = rowBase + runSource[r];
                int to = d + runColumn[r];
                int len = runLength[r];
                if (stride == 1) {
                    copier.copy(src, s, dst, to, len);
                } else {
                    for (int t = 0; t < len; t++) {
                        dst[to + t] = src[s + t * stride];
                    }
                }
            }
        }
    }
}
