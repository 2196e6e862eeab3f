package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.DirectConv.FILTERS;
import static dev.framestream.engine.kernels.DirectConv.LANES;
import static dev.framestream.engine.kernels.DirectConv.SPILL;
import static dev.framestream.engine.kernels.DirectConv.VECTORS;

import java.util.Arrays;

import dev.framestream.engine.tensor.Shape;

/**
 * Convolution without lowering: each output vector ({@link DirectConv#LANES} neighbouring pixels of one output row) is
 * summed straight from the (zero-bordered) input, 4 filters and 2 vectors at a time.
 *
 * <p>Applies to stride 1 and an output width of at least half a vector ({@link #applies}). A
 * filter count that is no multiple of 4 ends with a group padded with zero filters, whose real
 * filters are copied out of the staging area (LeNet-5's 6 filters). For few filters it beats im2col + GEMM, whose packing then
 * costs more than its multiply-adds: the input is read in place instead of copied K times. A row
 * that is no whole number of vectors ends with a vector that overlaps the one before it (the
 * lanes both hold get the same values twice); a row narrower than a vector is computed a vector
 * wide and its real lanes copied out of a staging area, which is how DIGITS' 8-wide layer runs
 * at 16 lanes.
 *
 * <p>It fuses a following ReLU (clamping as it stores) and, where the output's height and width
 * are even, ReLU plus 2x2 stride-2 max-pool: a pooled tile is one row pair, the top and bottom
 * vector, whose pooled values leave in one store per filter.
 */
public final class DirectConvolution implements ConvolutionMethod {
    // Floats of the staging area a row narrower than a vector, or a partial filter group, is computed into: a tile,
    // 4 filters x 2 vectors.
    private static final int STAGE = FILTERS * VECTORS * LANES;

    private final DirectConv kernel;
    private final PaddedInput padded;
    private final float[] packedWeight;
    private final int filters;
    // Groups of 4 filters, the last padded with zero filters when the count is no multiple of 4.
    private final int groups;
    // Real filters of the last group when it is padded, else 0.
    private final int partial;
    private final int depth;
    private final int outPlane;
    private final int outWidth;
    // Rows narrower than a vector: computed whole into the staging area, their real lanes copied out.
    private final boolean staged;
    // Where each kernel row (input channel, kernel row) starts relative to a window's start.
    private final int[] rows;
    private final int kernelWidth;
    // Per output vector, in tiles of 2 (a last short tile repeats its last vector: the same values
    // land twice): the start of its window in the padded input, and its offset in one output plane.
    private final int[] vectorSource;
    private final int[] vectorOutput;
    private final int tiles;
    // Pooled tiles (row pairs), in pooled raster order: the window start of the top row, and where
    // its pooled values go in one pooled plane; the bottom row's window is one padded row lower.
    private final int[] pairSource;
    private final int[] pairOutput;
    private final int pooledPlane;

    /** A stride-1 convolution; check {@link #applies} first. */
    public DirectConvolution(DirectConv kernel, Shape input, int filters, int kernelHeight, int kernelWidth,
                             int pad, int outHeight, int outWidth) {
        if (!applies(1, outWidth)) {
            throw new IllegalArgumentException("direct convolution needs an output width of at least " + LANES / 2
                    + ", got " + outWidth);
        }
        this.kernel = kernel;
        this.staged = outWidth < LANES;
        // A staged vector reads past its row, up to a vector past the example's end: always a copy then, with room after it.
        this.padded = new PaddedInput(input, pad, staged);
        this.filters = filters;
        this.groups = (filters + FILTERS - 1) / FILTERS;
        this.partial = filters % FILTERS;
        this.kernelWidth = kernelWidth;
        this.depth = input.channels() * kernelHeight * kernelWidth;
        this.outPlane = outHeight * outWidth;
        this.outWidth = outWidth;
        this.packedWeight = new float[groups * FILTERS * depth];
        int paddedHeight = padded.height();
        int paddedWidth = padded.width();
        this.rows = new int[input.channels() * kernelHeight];
        for (int c = 0; c < input.channels(); c++) {
            for (int i = 0; i < kernelHeight; i++) {
                rows[c * kernelHeight + i] = (c * paddedHeight + i) * paddedWidth;
            }
        }
        int[] starts = vectorStarts(outWidth);
        int vectors = outHeight * starts.length;
        this.tiles = (vectors + VECTORS - 1) / VECTORS;
        this.vectorSource = new int[tiles * VECTORS];
        this.vectorOutput = new int[tiles * VECTORS];
        for (int i = 0; i < tiles * VECTORS; i++) {
            int v = Math.min(i, vectors - 1);
            int oh = v / starts.length;
            int ow = starts[v % starts.length];
            vectorSource[i] = oh * paddedWidth + ow;
            vectorOutput[i] = oh * outWidth + ow;
        }
        boolean poolable = pools(outHeight, outWidth);
        this.pooledPlane = poolable ? outPlane / 4 : 0;
        int pairs = poolable ? vectors / 2 : 0;   // as many as plain tiles, so units slice both alike
        this.pairSource = new int[pairs];
        this.pairOutput = new int[pairs];
        for (int pair = 0; pair < pairs; pair++) {
            int pairRow = pair / starts.length;
            int ow = starts[pair % starts.length];
            pairSource[pair] = 2 * pairRow * paddedWidth + ow;
            pairOutput[pair] = pairRow * (outWidth / 2) + ow / 2;
        }
    }

    /**
     * Where a row's vectors start: every whole vector's, then, if the row is no whole number of
     * vectors, one ending at the row's end; a single one for a row narrower than a vector.
     */
    private static int[] vectorStarts(int outWidth) {
        int whole = outWidth / LANES;
        if (whole == 0) {
            return new int[] {0};
        }
        int[] starts = new int[whole + (outWidth % LANES == 0 ? 0 : 1)];
        for (int i = 0; i < whole; i++) {
            starts[i] = i * LANES;
        }
        starts[starts.length - 1] = outWidth - LANES;
        return starts;
    }

    /**
     * Whether the direct kernel can compute this convolution: narrower rows than half a vector
     * would leave most of its lanes idle.
     */
    public static boolean applies(int stride, int outWidth) {
        return stride == 1 && outWidth >= LANES / 2;
    }

    /** Whether a direct convolution of this output fuses the 2x2 max-pool after it: whole windows in both directions. */
    public static boolean pools(int outHeight, int outWidth) {
        return outHeight % 2 == 0 && outWidth % 2 == 0;
    }

    @Override
    public String name() {
        return "direct";
    }

    /** Pairs of output vectors, each for all filters. */
    @Override
    public int units() {
        return tiles;
    }

    /**
     * The bordered copy, then the staging area (which the last staged windows read into), the spill, and the padded
     * last group's 4 biases.
     */
    @Override
    public int scratchFloats() {
        return padded.size() + STAGE + SPILL + FILTERS;
    }

    /**
     * Interleaves the 4 filters of a tile, tap-major: {@code packed[g][t][q] = weight[4g + q][t]}, 0 for the padding
     * filters of a last partial group.
     */
    @Override
    public void packWeights(float[] weight) {
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < depth; t++) {
                for (int q = 0; q < FILTERS; q++) {
                    int f = g * FILTERS + q;
                    packedWeight[(g * depth + t) * FILTERS + q] = f < filters ? weight[f * depth + t] : 0f;
                }
            }
        }
    }

    /**
     * The ReLU always; ReLU and 2x2 max-pool where the output's rows and columns pair up; not the
     * ReLU6, which its tiles have no upper bound for.
     */
    @Override
    public boolean fuses(Epilogue epilogue) {
        return epilogue == Epilogue.RELU_MAXPOOL ? pooledPlane > 0 : epilogue != Epilogue.RELU6;
    }

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue,
                        float[] scratch) {
        float[] src = padded.source(in, inOff, scratch, 0);
        int srcOff = padded.offset(inOff, 0);
        int below = padded.width();
        int stage = padded.size();
        int spill = stage + STAGE;
        int lastBias = spill + SPILL;
        if (partial > 0) {
            System.arraycopy(bias, (groups - 1) * FILTERS, scratch, lastBias, partial);
            Arrays.fill(scratch, lastBias + partial, lastBias + FILTERS, 0f);
        }
        // A staged vector's real lanes: a row narrower than a vector, else a whole vector (the partial group's).
        int stagedLanes = staged ? outWidth : LANES;
        if (epilogue == Epilogue.RELU_MAXPOOL) {
            for (int pair = first; pair < end; pair++) {
                int top = srcOff + pairSource[pair];
                for (int g = 0; g < groups; g++) {
                    int to = outOff + g * FILTERS * pooledPlane + pairOutput[pair];
                    boolean whole = partial == 0 || g < groups - 1;
                    float[] b = whole ? bias : scratch;
                    int bOff = whole ? g * FILTERS : lastBias;
                    if (whole && !staged) {
                        kernel.tilePooled(src, top, top + below, rows, kernelWidth, packedWeight, g * depth * FILTERS, b, bOff,
                                out, to, pooledPlane, scratch, spill);
                        continue;
                    }
                    kernel.tilePooled(src, top, top + below, rows, kernelWidth, packedWeight, g * depth * FILTERS, b, bOff,
                            scratch, stage, LANES, scratch, spill);
                    for (int q = 0; q < (whole ? FILTERS : partial); q++) {
                        System.arraycopy(scratch, stage + q * LANES, out, to + q * pooledPlane, stagedLanes / 2);
                    }
                }
            }
            return;
        }
        float floor = epilogue == Epilogue.RELU ? 0f : Float.NEGATIVE_INFINITY;
        for (int tile = first; tile < end; tile++) {
            int at0 = srcOff + vectorSource[tile * VECTORS];
            int at1 = srcOff + vectorSource[tile * VECTORS + 1];
            int out0 = outOff + vectorOutput[tile * VECTORS];
            int out1 = outOff + vectorOutput[tile * VECTORS + 1];
            for (int g = 0; g < groups; g++) {
                int planes = g * FILTERS * outPlane;
                boolean whole = partial == 0 || g < groups - 1;
                float[] b = whole ? bias : scratch;
                int bOff = whole ? g * FILTERS : lastBias;
                if (whole && !staged) {
                    kernel.tile(src, at0, at1, rows, kernelWidth, packedWeight, g * depth * FILTERS, b, bOff,
                            out, out0 + planes, out1 + planes, outPlane, floor);
                    continue;
                }
                // Filter q's vector v lands at stage + (2q + v) * LANES.
                kernel.tile(src, at0, at1, rows, kernelWidth, packedWeight, g * depth * FILTERS, b, bOff,
                        scratch, stage, stage + LANES, VECTORS * LANES, floor);
                for (int q = 0; q < (whole ? FILTERS : partial); q++) {
                    System.arraycopy(scratch, stage + VECTORS * q * LANES, out, out0 + planes + q * outPlane, stagedLanes);
                    System.arraycopy(scratch, stage + (VECTORS * q + 1) * LANES, out, out1 + planes + q * outPlane, stagedLanes);
                }
            }
        }
    }
}
