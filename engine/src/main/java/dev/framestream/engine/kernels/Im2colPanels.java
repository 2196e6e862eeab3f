package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import dev.framestream.engine.Shape;
import java.util.Arrays;

/**
 * Lowers one example's convolution input straight into the GEMM's packed 16-column B panels
 * (im2col): column j of B is output pixel j, row k is (input channel, kernel row, kernel column).
 *
 * <p>The input is first copied into a zero-bordered buffer when the convolution pads, so a panel
 * row is a few contiguous runs of the padded input with no bounds tests; with stride 1 a panel
 * that stays on one output row is a single 16-float copy.
 */
public final class Im2colPanels {
    /*
     * Writing the packed layout directly (instead of im2col then packing) halves the memory traffic
     * of the lowering, which bounds small-M convolutions: conv 5x5 8->16 went from 36 to 62 GFLOP/s
     * on one core when measured (DESIGN.md).
     */
    private final int channels;
    private final int height;
    private final int width;
    private final int pad;
    private final int stride;
    private final int paddedHeight;
    private final int paddedWidth;
    private final int outputPixels;
    private final int[] depthOffset;     // per k: offset of (channel, kernel row, kernel column) in the padded input
    private final int[] panelRuns;       // per panel: index of its first run; one extra entry at the end
    private final int[] runColumn;       // per run: first column within the panel
    private final int[] runLength;
    private final int[] runSource;       // per run: offset of its first pixel's window in the padded input

    public Im2colPanels(Shape input, int kernelHeight, int kernelWidth, int stride, int pad, int outHeight, int outWidth) {
        this.channels = input.channels();
        this.height = input.height();
        this.width = input.width();
        this.pad = pad;
        this.stride = stride;
        this.paddedHeight = height + 2 * pad;
        this.paddedWidth = width + 2 * pad;
        this.outputPixels = outHeight * outWidth;
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

    /** Floats of scratch the zero-bordered copy needs: 0 when the convolution does not pad. */
    public int paddedSize() {
        return pad == 0 ? 0 : channels * paddedHeight * paddedWidth;
    }

    /**
     * Makes the source the panels are cut from: the input itself without padding, else its
     * zero-bordered copy written to {@code scratch} from 0. Returns the source array; its example
     * starts at {@link #sourceOffset}.
     */
    public float[] source(float[] in, int inOff, float[] scratch) {
        if (pad == 0) {
            return in;
        }
        int plane = paddedHeight * paddedWidth;
        Arrays.fill(scratch, 0, channels * plane, 0f);
        for (int c = 0; c < channels; c++) {
            for (int h = 0; h < height; h++) {
                System.arraycopy(in, inOff + (c * height + h) * width,
                        scratch, c * plane + (h + pad) * paddedWidth + pad, width);
            }
        }
        return scratch;
    }

    /** Where the example starts in what {@link #source} returned. */
    public int sourceOffset(int inOff) {
        return pad == 0 ? inOff : 0;
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
                    System.arraycopy(src, s, dst, to, len);
                } else {
                    for (int t = 0; t < len; t++) {
                        dst[to + t] = src[s + t * stride];
                    }
                }
            }
        }
    }

    /** Number of output pixels, the GEMM's columns. */
    public int outputPixels() {
        return outputPixels;
    }
}
