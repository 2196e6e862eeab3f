package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.DirectConv.FILTERS;
import static dev.framestream.engine.kernels.DirectConv.LANES;
import static dev.framestream.engine.kernels.DirectConv.VECTORS;

import dev.framestream.engine.Shape;

/**
 * Convolution without lowering: each output vector (8 neighbouring pixels of one output row) is
 * summed straight from the (zero-bordered) input, 2 filters and 4 vectors at a time.
 *
 * <p>Applies to stride 1, an output width that is a multiple of 8 and an even filter count
 * ({@link #applies}). For few filters it beats im2col + GEMM, whose packing then
 * costs more than its multiply-adds: the input is read in place instead of copied K times.
 *
 * <p>It fuses a following ReLU (clamping as it stores) and, where the output's row pairs split
 * into an even number of 8-pixel groups, ReLU plus 2x2 stride-2 max-pool: a pooled tile takes two
 * row pairs (top and bottom vector of each), so its 8 pooled values are consecutive in the
 * pooled plane and leave in one store per filter.
 */
public final class DirectConvolution implements ConvolutionMethod {
    private final DirectConv kernel;
    private final PaddedInput padded;
    private final float[] packedWeight;
    private final int filters;
    private final int depth;
    private final int outPlane;
    private final int[] taps;
    // Per output vector, in tiles of 4 (a last short tile repeats its last vector: the same values
    // land twice): the start of its window in the padded input, and its offset in one output plane.
    private final int[] vectorSource;
    private final int[] vectorOutput;
    private final int tiles;
    // Pooled tiles, in pooled raster order: per tile the window starts of (top, bottom) of two row pairs.
    private final int[] pairSource;
    private final int pooledPlane;

    /** A stride-1 convolution; check {@link #applies} first. */
    public DirectConvolution(DirectConv kernel, Shape input, int filters, int kernelHeight, int kernelWidth,
                             int pad, int outHeight, int outWidth) {
        if (!applies(filters, 1, outWidth)) {
            throw new IllegalArgumentException("direct convolution needs an even filter count and an output width that is a multiple of 8, got "
                    + filters + " filters, output width " + outWidth);
        }
        this.kernel = kernel;
        this.padded = new PaddedInput(input, pad);
        this.filters = filters;
        this.depth = input.channels() * kernelHeight * kernelWidth;
        this.outPlane = outHeight * outWidth;
        this.packedWeight = new float[filters * depth];
        int paddedHeight = padded.height();
        int paddedWidth = padded.width();
        this.taps = new int[depth];
        int t = 0;
        for (int c = 0; c < input.channels(); c++) {
            for (int i = 0; i < kernelHeight; i++) {
                for (int j = 0; j < kernelWidth; j++) {
                    taps[t++] = (c * paddedHeight + i) * paddedWidth + j;
                }
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
        boolean poolable = outHeight % 2 == 0 && (outHeight / 2 * (outWidth / LANES)) % 2 == 0;
        this.pooledPlane = poolable ? outPlane / 4 : 0;
        this.pairSource = poolable ? new int[outPlane / LANES] : null;
        int groups = outWidth / LANES;
        for (int pair = 0; poolable && pair < outPlane / LANES / 2; pair++) {
            int top = (2 * (pair / groups)) * paddedWidth + pair % groups * LANES;
            pairSource[2 * pair] = top;
            pairSource[2 * pair + 1] = top + paddedWidth;
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

    /** Groups of 4 output vectors, each for all filters. */
    @Override
    public int units() {
        return tiles;
    }

    @Override
    public int scratchFloats() {
        return padded.size();
    }

    /** Interleaves the 2 filters of a tile, tap-major: {@code packed[g][t][q] = weight[2g + q][t]}. */
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

    /** The ReLU always; ReLU and 2x2 max-pool where the row pairs make whole pooled tiles. */
    @Override
    public boolean fuses(Epilogue epilogue) {
        return epilogue != Epilogue.RELU_MAXPOOL || pairSource != null;
    }

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue,
                        float[] scratch) {
        float[] src = padded.source(in, inOff, scratch, 0);
        int srcOff = padded.offset(inOff, 0);
        if (epilogue == Epilogue.RELU_MAXPOOL) {
            // As many pooled tiles as plain ones: 4 vectors each, so units slice both alike.
            for (int tile = first; tile < end; tile++) {
                for (int g = 0; g < filters / FILTERS; g++) {
                    kernel.tilePooled(src, srcOff, pairSource, tile * VECTORS, taps, packedWeight, g * depth * FILTERS, bias, g * FILTERS,
                            out, outOff + g * FILTERS * pooledPlane + tile * LANES, pooledPlane);
                }
            }
            return;
        }
        float floor = epilogue == Epilogue.RELU ? 0f : Float.NEGATIVE_INFINITY;
        for (int tile = first; tile < end; tile++) {
            for (int g = 0; g < filters / FILTERS; g++) {
                kernel.tile(src, srcOff, vectorSource, tile * VECTORS, taps, packedWeight, g * depth * FILTERS, bias, g * FILTERS,
                        out, outOff + g * FILTERS * outPlane, vectorOutput, tile * VECTORS, outPlane, floor);
            }
        }
    }
}
