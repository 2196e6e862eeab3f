package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.DirectConv.FILTERS;
import static dev.framestream.engine.kernels.DirectConv.LANES;
import static dev.framestream.engine.kernels.DirectConv.SPILL;
import static dev.framestream.engine.kernels.DirectConv.VECTORS;

import dev.framestream.engine.tensor.Shape;

/**
 * Convolution without lowering: each output vector ({@link DirectConv#LANES} neighbouring pixels of one output row) is
 * summed straight from the (zero-bordered) input, 4 filters and 2 vectors at a time.
 *
 * <p>Applies to stride 1, an output width that is a multiple of a vector and a filter count that is a
 * multiple of 4 ({@link #applies}). For few filters it beats im2col + GEMM, whose packing then
 * costs more than its multiply-adds: the input is read in place instead of copied K times.
 *
 * <p>It fuses a following ReLU (clamping as it stores) and, where the output has an even height,
 * ReLU plus 2x2 stride-2 max-pool: a pooled tile is one row pair, the top and bottom vector,
 * whose pooled values leave in one store per filter.
 */
public final class DirectConvolution implements ConvolutionMethod {
    private final DirectConv kernel;
    private final PaddedInput padded;
    private final float[] packedWeight;
    private final int filters;
    private final int depth;
    private final int outPlane;
    // Where each kernel row (input channel, kernel row) starts relative to a window's start.
    private final int[] rows;
    private final int kernelWidth;
    // Per output vector, in tiles of 2 (a last short tile repeats its last vector: the same values
    // land twice): the start of its window in the padded input, and its offset in one output plane.
    private final int[] vectorSource;
    private final int[] vectorOutput;
    private final int tiles;
    // Pooled tiles (row pairs), in pooled raster order: the window start of the top row, and where
    // the 4 pooled values go in one pooled plane; the bottom row's window is one padded row lower.
    private final int[] pairSource;
    private final int[] pairOutput;
    private final int pooledPlane;

    /** A stride-1 convolution; check {@link #applies} first. */
    public DirectConvolution(DirectConv kernel, Shape input, int filters, int kernelHeight, int kernelWidth,
                             int pad, int outHeight, int outWidth) {
        if (!applies(filters, 1, outWidth)) {
            throw new IllegalArgumentException("direct convolution needs a filter count that is a multiple of " + FILTERS
                    + " and an output width that is a multiple of " + LANES + ", got " + filters + " filters, output width " + outWidth);
        }
        this.kernel = kernel;
        this.padded = new PaddedInput(input, pad);
        this.filters = filters;
        this.kernelWidth = kernelWidth;
        this.depth = input.channels() * kernelHeight * kernelWidth;
        this.outPlane = outHeight * outWidth;
        this.packedWeight = new float[filters * depth];
        int paddedHeight = padded.height();
        int paddedWidth = padded.width();
        this.rows = new int[input.channels() * kernelHeight];
        for (int c = 0; c < input.channels(); c++) {
            for (int i = 0; i < kernelHeight; i++) {
                rows[c * kernelHeight + i] = (c * paddedHeight + i) * paddedWidth;
            }
        }
        int vectors = outPlane / LANES;
        this.tiles = (vectors + VECTORS - 1) / VECTORS;
        this.vectorSource = new int[tiles * VECTORS];
        this.vectorOutput = new int[tiles * VECTORS];
        for (int i = 0; i < tiles * VECTORS; i++) {
            int v = Math.min(i, vectors - 1);
            int oh = v * LANES / outWidth;
            int ow = v * LANES % outWidth;
            vectorSource[i] = oh * paddedWidth + ow;
            vectorOutput[i] = oh * outWidth + ow;
        }
        boolean poolable = outHeight % 2 == 0;
        this.pooledPlane = poolable ? outPlane / 4 : 0;
        int pairs = poolable ? vectors / 2 : 0;   // as many as plain tiles, so units slice both alike
        this.pairSource = new int[pairs];
        this.pairOutput = new int[pairs];
        int groups = outWidth / LANES;
        for (int pair = 0; pair < pairs; pair++) {
            int pairRow = pair / groups;
            int group = pair % groups;
            pairSource[pair] = 2 * pairRow * paddedWidth + group * LANES;
            pairOutput[pair] = pairRow * (outWidth / 2) + group * (LANES / 2);
        }
    }

    /** Whether the direct kernel can compute this convolution. */
    public static boolean applies(int filters, int stride, int outWidth) {
        return stride == 1 && filters % FILTERS == 0 && outWidth % LANES == 0;
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

    @Override
    public int scratchFloats() {
        return padded.size() + SPILL;
    }

    /** Interleaves the 4 filters of a tile, tap-major: {@code packed[g][t][q] = weight[4g + q][t]}. */
    @Override
    public void packWeights(float[] weight) {
        for (int g = 0; g < filters / FILTERS; g++) {
            for (int t = 0; t < depth; t++) {
                for (int q = 0; q < FILTERS; q++) {
                    packedWeight[(g * depth + t) * FILTERS + q] = weight[(g * FILTERS + q) * depth + t];
                }
            }
        }
    }

    /** The ReLU always; ReLU and 2x2 max-pool where the output's rows pair up. */
    @Override
    public boolean fuses(Epilogue epilogue) {
        return epilogue != Epilogue.RELU_MAXPOOL || pooledPlane > 0;
    }

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue,
                        float[] scratch) {
        float[] src = padded.source(in, inOff, scratch, 0);
        int srcOff = padded.offset(inOff, 0);
        int below = padded.width();
        if (epilogue == Epilogue.RELU_MAXPOOL) {
            for (int pair = first; pair < end; pair++) {
                int top = srcOff + pairSource[pair];
                for (int g = 0; g < filters / FILTERS; g++) {
                    kernel.tilePooled(src, top, top + below, rows, kernelWidth, packedWeight, g * depth * FILTERS, bias, g * FILTERS,
                            out, outOff + g * FILTERS * pooledPlane + pairOutput[pair], pooledPlane, scratch, padded.size());
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
            for (int g = 0; g < filters / FILTERS; g++) {
                int planes = g * FILTERS * outPlane;
                kernel.tile(src, at0, at1, rows, kernelWidth, packedWeight, g * depth * FILTERS, bias, g * FILTERS,
                        out, out0 + planes, out1 + planes, outPlane, floor);
            }
        }
    }
}
