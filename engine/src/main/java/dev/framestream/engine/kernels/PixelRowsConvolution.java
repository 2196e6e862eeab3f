package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import dev.framestream.engine.tensor.Shape;

/**
 * A convolution over a small batch of small planes as one GEMM the other way round: the batch's
 * output pixels are the rows, the filters the columns ({@code batch·OH·OW x C·KH·KW} lowered input
 * times the transposed weights). Where a batch's pixels would fill column panels mostly with
 * padding (one example of a 2x2, 4x4 or 7x7 plane: 4, 16 or 49 pixels in panels of 32), the
 * filters fill them instead, and every multiply-add is a real one. At batch 1 such a layer is a
 * stream of weights: here they are read exactly once, a filter panel at a time.
 *
 * <p>Two phases, in units that may run on different threads: {@link #pack} lowers one row panel of
 * pixels into the shared packed A (0 where a window lies in the padding); {@link #multiply}
 * computes all pixels for one panel of filters into its own tile and writes them to the output
 * planes with the bias and the ReLU.
 */
public final class PixelRowsConvolution {
    private final Gemm gemm;
    private final int channels;
    private final int plane;          // input pixels per channel
    private final int inSize;
    private final int filters;
    private final int pixels;         // output pixels per filter
    private final int depth;
    private final int taps;
    private final float[] packedWeight;
    private final int[][] tapSource;  // see BatchLoweredConvolution.tapSources

    public PixelRowsConvolution(Gemm gemm, Shape input, int filters, int kernelHeight, int kernelWidth, int stride, int pad,
                                int outHeight, int outWidth) {
        this.gemm = gemm;
        this.channels = input.channels();
        this.plane = input.height() * input.width();
        this.inSize = input.size();
        this.filters = filters;
        this.pixels = outHeight * outWidth;
        this.taps = kernelHeight * kernelWidth;
        this.depth = channels * taps;
        this.packedWeight = new float[ColumnPanels.packedSize(filters, depth)];
        this.tapSource = BatchLoweredConvolution.tapSources(input, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth);
    }

    /**
     * Whether a batch of {@code batch} runs this way: when its pixels would leave a fifth or more
     * of their column panels padding.
     */
    public boolean suits(int batch) {
        return !ColumnPanels.mostlyFull(batch * pixels);
    }

    /** The rows of A for a batch, cut into the micro-kernel's panels. */
    public RowPanels rowPanels(int batch) {
        return new RowPanels(batch * pixels, gemm.mainPanelHeight());
    }

    /** Re-derives the packed weights from {@code weight} ({@code F x C x KH x KW}): B, the filters as columns. */
    public void packWeights(float[] weight) {
        ColumnPanels.packTransposed(weight, filters, depth, packedWeight);
    }

    /** Units of {@link #multiply}: the panels of filters. */
    public int units() {
        return ColumnPanels.count(filters);
    }

    /** Floats of scratch a batch needs: its packed A, then a tile per unit. */
    public int scratchFloats(int batch) {
        return batch * pixels * (depth + units() * PANEL_WIDTH);
    }

    /**
     * Lowers row panel {@code panel} of {@code rows} (pixels of {@code in}'s examples) into the
     * packed A at the start of {@code scratch}.
     */
    public void pack(float[] in, RowPanels rows, int panel, float[] scratch) {
        int first = rows.row(panel);
        int height = rows.height(panel);
        int base = first * depth;
        for (int i = 0; i < height; i++) {
            int row = first + i;
            int inOff = row / pixels * inSize;
            int pixel = row % pixels;
            for (int c = 0; c < channels; c++) {
                int channelOff = inOff + c * plane;
                int at = base + c * taps * height + i;
                for (int t = 0; t < taps; t++) {
                    int source = tapSource[t][pixel];
                    scratch[at + t * height] = source < 0 ? 0f : in[channelOff + source];
                }
            }
        }
    }

    /**
     * Unit {@code unit} (a panel of filters) for the pixels {@code rows} describes, packed by
     * {@link #pack}: written to {@code out} (the examples' F planes one after another) as
     * {@code min(max(sum + bias, floor), ceiling)}.
     */
    public void multiply(RowPanels rows, int unit, float[] bias, float floor, float ceiling, float[] out, float[] scratch) {
        int count = rows.rows();
        int tileOff = count * depth + unit * count * PANEL_WIDTH;
        GemmDriver.multiplyPanel(gemm, scratch, 0, rows, depth, packedWeight, unit * depth * PANEL_WIDTH,
                scratch, tileOff, PANEL_WIDTH, PANEL_WIDTH, GemmDriver.Init.ZERO, null, 0, null, 0);
        int firstFilter = unit * PANEL_WIDTH;
        int panelFilters = Math.min(PANEL_WIDTH, filters - firstFilter);
        for (int row = 0; row < count; row++) {
            int at = row / pixels * filters * pixels + firstFilter * pixels + row % pixels;
            int from = tileOff + row * PANEL_WIDTH;
            for (int j = 0; j < panelFilters; j++) {
                out[at + j * pixels] = Math.min(Math.max(scratch[from + j] + bias[firstFilter + j], floor), ceiling);
            }
        }
    }
}
