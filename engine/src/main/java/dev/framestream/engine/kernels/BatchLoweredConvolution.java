package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import dev.framestream.engine.tensor.Shape;

/**
 * A convolution over a whole batch as one GEMM: the weights ({@code F x C·KH·KW}) times the
 * im2col lowering of every example side by side ({@code C·KH·KW x batch·OH·OW}), for small output
 * planes. Per example, a plane of 4 or 16 pixels fills a GEMM panel mostly with padding and reads
 * every weight once per example; here a panel holds the pixels of several examples, so the
 * multiply-adds are real ones and each weight is read once per panel of the batch.
 *
 * <p>Two phases, each in units that may run on different threads: {@link #pack} lowers one
 * example into the shared B panels (reading the input where a window lies inside it and writing 0
 * where it lies in the padding, so no bordered copy is made); {@link #multiply} computes one panel
 * for one part of the filters into its own tile and places the bias and the ReLU as it copies
 * each example's columns out.
 */
public final class BatchLoweredConvolution {
    /** Units a batch of one should offer, filters permitting: enough for 2 threads and some balance. */
    private static final int MIN_UNITS = 4;
    private static final int MIN_PART_FILTERS = 16;

    private final Gemm gemm;
    private final int channels;
    private final int plane;          // input pixels per channel
    private final int inSize;
    private final int filters;
    private final int pixels;         // output pixels per filter
    private final int depth;
    private final int taps;
    private final int parts;
    private final RowPanels partPanels;
    private final float[] packedWeight;
    private final int[][] tapSource;      // see tapSources

    public BatchLoweredConvolution(Gemm gemm, Shape input, int filters, int kernelHeight, int kernelWidth, int stride, int pad,
                                   int outHeight, int outWidth) {
        this.gemm = gemm;
        this.channels = input.channels();
        this.plane = input.height() * input.width();
        this.inSize = input.size();
        this.filters = filters;
        this.pixels = outHeight * outWidth;
        this.taps = kernelHeight * kernelWidth;
        this.depth = channels * taps;
        this.parts = parts(filters);
        this.partPanels = new RowPanels(filters / parts, gemm.mainPanelHeight());
        this.packedWeight = new float[parts * partPanels.packedSize(depth)];
        this.tapSource = tapSources(input, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth);
    }

    /**
     * Per tap (kernel row and column, {@code kh * kernelWidth + kw}) and output pixel: the offset
     * of the input pixel it reads in its channel's plane, or -1 where the window lies in the padding.
     */
    static int[][] tapSources(Shape input, int kernelHeight, int kernelWidth, int stride, int pad, int outHeight, int outWidth) {
        int pixels = outHeight * outWidth;
        int[][] sources = new int[kernelHeight * kernelWidth][pixels];
        for (int kh = 0; kh < kernelHeight; kh++) {
            for (int kw = 0; kw < kernelWidth; kw++) {
                for (int p = 0; p < pixels; p++) {
                    int ih = p / outWidth * stride - pad + kh;
                    int iw = p % outWidth * stride - pad + kw;
                    boolean inside = ih >= 0 && ih < input.height() && iw >= 0 && iw < input.width();
                    sources[kh * kernelWidth + kw][p] = inside ? ih * input.width() + iw : -1;
                }
            }
        }
        return sources;
    }

    /**
     * Whether a batch GEMM pays for a convolution with {@code pixels} output pixels: when the
     * per-example panels would be at least a fifth padding (a plane of 4 or 16 pixels in a panel
     * of 32, 49 in 64 columns), which a batch's panels are not.
     */
    public static boolean pays(int pixels) {
        return !ColumnPanels.mostlyFull(pixels);
    }

    /** Halves the filters while a single panel would give fewer units than {@link #MIN_UNITS} and the halves stay whole. */
    private static int parts(int filters) {
        int parts = 1;
        while (parts < MIN_UNITS && filters % (2 * parts) == 0 && filters / (2 * parts) >= MIN_PART_FILTERS) {
            parts *= 2;
        }
        return parts;
    }

    /** Re-derives the packed weights from {@code weight} ({@code F x C x KH x KW}): one set of row panels per part. */
    public void packWeights(float[] weight) {
        int partFilters = filters / parts;
        for (int part = 0; part < parts; part++) {
            partPanels.pack(weight, part * partFilters * depth, depth, packedWeight, part * partPanels.packedSize(depth));
        }
    }

    /** GEMM panels of a batch. */
    public int panels(int batch) {
        return ColumnPanels.count(batch * pixels);
    }

    /** Units of {@link #multiply} for a batch: panels times filter parts. */
    public int units(int batch) {
        return panels(batch) * parts;
    }

    /** Floats of scratch a batch needs: its B panels, then a tile per unit. */
    public int scratchFloats(int batch) {
        return panels(batch) * depth * PANEL_WIDTH + units(batch) * GemmDriver.tileSize(filters / parts);
    }

    /** Lowers example {@code example} of {@code in} into its columns of the batch's B panels at the start of {@code scratch}. */
    public void pack(float[] in, int example, float[] scratch) {
        int first = example * pixels;
        int end = first + pixels;
        int inOff = example * inSize;
        // The example's columns, cut where they cross from one panel into the next.
        for (int column = first; column < end; ) {
            int panel = column / PANEL_WIDTH;
            int runEnd = Math.min(end, (panel + 1) * PANEL_WIDTH);
            int p0 = column - first;
            int p1 = runEnd - first;
            int base = panel * depth * PANEL_WIDTH + column % PANEL_WIDTH - p0;
            for (int c = 0; c < channels; c++) {
                int channelOff = inOff + c * plane;
                for (int t = 0; t < taps; t++) {
                    int[] source = tapSource[t];
                    int row = base + (c * taps + t) * PANEL_WIDTH;
                    for (int p = p0; p < p1; p++) {
                        int at = source[p];
                        scratch[row + p] = at < 0 ? 0f : in[channelOff + at];
                    }
                }
            }
            column = runEnd;
        }
    }

    /**
     * Unit {@code unit} of a batch of {@code batch} examples (packed by {@link #pack}): its panel's
     * columns for its part of the filters, written to {@code out} (the examples' F planes one
     * after another) as {@code min(max(sum + bias, floor), ceiling)}.
     */
    public void multiply(int batch, int unit, float[] bias, float floor, float ceiling, float[] out, float[] scratch) {
        int panel = unit / parts;
        int part = unit % parts;
        int partFilters = filters / parts;
        int columns = batch * pixels;
        int first = panel * PANEL_WIDTH;
        int cols = Math.min(PANEL_WIDTH, columns - first);
        int tileOff = panels(batch) * depth * PANEL_WIDTH + unit * GemmDriver.tileSize(partFilters);
        GemmDriver.multiplyPanel(gemm, packedWeight, part * partPanels.packedSize(depth), partPanels, depth,
                scratch, panel * depth * PANEL_WIDTH, scratch, tileOff, PANEL_WIDTH, PANEL_WIDTH,
                GemmDriver.Init.ZERO, null, 0, null, 0);
        for (int column = first, end = first + cols; column < end; ) {
            int example = column / pixels;
            int p0 = column - example * pixels;
            int run = Math.min(end - column, pixels - p0);
            int outOff = example * filters * pixels + p0;
            int from = tileOff + column - first;
            for (int f = part * partFilters, to = f + partFilters; f < to; f++) {
                int src = from + (f - part * partFilters) * PANEL_WIDTH;
                int dst = outOff + f * pixels;
                float b = bias[f];
                for (int i = 0; i < run; i++) {
                    out[dst + i] = Math.min(Math.max(scratch[src + i] + b, floor), ceiling);
                }
            }
            column += run;
        }
    }
}
