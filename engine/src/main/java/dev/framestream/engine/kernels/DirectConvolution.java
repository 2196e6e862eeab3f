package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.DirectConv.FILTERS;
import static dev.framestream.engine.kernels.DirectConv.LANES;

import dev.framestream.engine.Shape;

/**
 * Convolution without lowering: each output vector (8 neighbouring pixels of one output row) is
 * summed straight from the (zero-bordered) input, 4 filters and 3 vectors at a time.
 *
 * <p>Applies to stride 1, an output width that is a multiple of 8 and a filter count that is a
 * multiple of 4 ({@link #applies}). For few filters it beats im2col + GEMM, whose packing then
 * costs more than its multiply-adds: the input is read in place instead of copied K times.
 */
public final class DirectConvolution implements ConvolutionMethod {
    private final DirectConv kernel;
    private final PaddedInput padded;
    private final float[] packedWeight;
    private final int filters;
    private final int depth;
    private final int outPlane;
    private final int[] taps;
    private final int[] vectorSource;     // per output vector: start of its window in the padded input
    private final int[] vectorOutput;     // per output vector: its offset in one output plane
    private final int tiles;

    /** A stride-1 convolution; check {@link #applies} first. */
    public DirectConvolution(DirectConv kernel, Shape input, int filters, int kernelHeight, int kernelWidth,
                             int pad, int outHeight, int outWidth) {
        if (!applies(filters, 1, outWidth)) {
            throw new IllegalArgumentException("direct convolution needs filters % 4 == 0 and output width % 8 == 0, got "
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
        this.vectorSource = new int[vectors];
        this.vectorOutput = new int[vectors];
        for (int v = 0; v < vectors; v++) {
            int oh = v * LANES / outWidth;
            int ow = v * LANES % outWidth;
            vectorSource[v] = oh * paddedWidth + ow;
            vectorOutput[v] = oh * outWidth + ow;
        }
        this.tiles = (vectors + 2) / 3;
    }

    /** Whether the direct kernel can compute this convolution. */
    public static boolean applies(int filters, int stride, int outWidth) {
        return stride == 1 && filters % FILTERS == 0 && outWidth % LANES == 0;
    }

    @Override
    public String name() {
        return "direct";
    }

    /** Groups of 3 output vectors, each for all filters. */
    @Override
    public int units() {
        return tiles;
    }

    @Override
    public int scratchFloats() {
        return padded.size();
    }

    /** Interleaves 4 filters at a time, tap-major: {@code packed[g][t][q] = weight[4g + q][t]}. */
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

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, float[] scratch) {
        float[] src = padded.source(in, inOff, scratch, 0);
        int srcOff = padded.offset(inOff, 0);
        int vectors = vectorSource.length;
        for (int tile = first; tile < end; tile++) {
            // A last tile short of 3 vectors repeats its last vector: the same values land twice.
            int v0 = 3 * tile;
            int v1 = Math.min(v0 + 1, vectors - 1);
            int v2 = Math.min(v0 + 2, vectors - 1);
            int s0 = srcOff + vectorSource[v0];
            int s1 = srcOff + vectorSource[v1];
            int s2 = srcOff + vectorSource[v2];
            for (int g = 0; g < filters / FILTERS; g++) {
                int plane = outOff + g * FILTERS * outPlane;
                kernel.tile(src, s0, s1, s2, taps, packedWeight, g * depth * FILTERS, bias, g * FILTERS,
                        out, plane + vectorOutput[v0], plane + vectorOutput[v1], plane + vectorOutput[v2], outPlane);
            }
        }
    }
}
