package dev.framestream.engine.kernels;

import dev.framestream.engine.tensor.Shape;

/**
 * Picks the convolution method per layer shape, as {@link Kernels#convolution()} asks:
 * {@link ConvolutionChoice#AUTO} decides by shape; {@link ConvolutionChoice#GEMM} always lowers;
 * {@link ConvolutionChoice#DIRECT} and {@link ConvolutionChoice#WINOGRAD} use their method wherever
 * it applies and lower elsewhere.
 */
public final class ConvolutionMethods {

    private ConvolutionMethods() {
    }

    /** The method for one convolution layer. */
    public static ConvolutionMethod choose(Kernels kernels, Shape input, int filters,
                                           int kernelHeight, int kernelWidth, int stride, int pad, int outHeight, int outWidth) {
        boolean winograd = WinogradConvolution.applies(kernelHeight, kernelWidth, stride);
        boolean direct = DirectConvolution.applies(stride, outWidth);
        ConvolutionChoice method = switch (kernels.convolution()) {
            case GEMM -> ConvolutionChoice.GEMM;
            case DIRECT -> direct ? ConvolutionChoice.DIRECT : ConvolutionChoice.GEMM;
            case WINOGRAD -> winograd ? ConvolutionChoice.WINOGRAD : ConvolutionChoice.GEMM;
            case AUTO -> winograd && winogradIsFaster(input, filters, outHeight, outWidth) ? ConvolutionChoice.WINOGRAD
                    : direct && directIsFaster(filters, kernelWidth) ? ConvolutionChoice.DIRECT : ConvolutionChoice.GEMM;
        };
        return switch (method) {
            case WINOGRAD -> new WinogradConvolution(kernels.gemm(), kernels.winograd(), input, filters, pad);
            case DIRECT -> new DirectConvolution(kernels.directConv(), input, filters, kernelHeight, kernelWidth, pad, outHeight, outWidth);
            case GEMM, AUTO -> new LoweredConvolution(kernels.gemm(), kernels.elementwise(), input, filters, kernelHeight, kernelWidth, stride, pad,
                    outHeight, outWidth);
        };
    }

    /*
     * Direct wins for few filters because the lowering copies K floats per 16 pixels whatever the
     * filter count, so its GEMM needs filters (rows) to amortise that copy; the direct kernel reads
     * the input in place, and is fastest for 5-wide kernels, which get their own copy of its loop
     * with a constant column count ({@link VectorDirectConv}). Hence up to 16 filters for 5-wide kernels and up to 8 otherwise.
     * (measurements: docs/benchmarks.md#engine-kernels)
     */
    private static boolean directIsFaster(int filters, int kernelWidth) {
        return filters <= (kernelWidth == 5 ? 16 : 8);
    }

    /*
     * Winograd F(4x4, 3x3) cuts the multiply-adds, but its GEMMs are C deep and F high, so with few
     * channels or filters the transforms cost more than they save: it needs at least 16 input
     * channels and 1,024 channels x filters, below which the direct kernel or the lowering wins.
     * On a small plane its transformed weights, 4 times the plain ones, are read for a tile or
     * two of real output, mostly padding: it needs an output of at least 8x8 (ResNet-18's last
     * two stages at 64x64 run twice as fast lowered). Its GEMMs' columns are the 4x4 tiles, the
     * lowering's the pixels, 16 times as many; a panel of tiles does 36 multiply-adds per tile
     * position where a panel of pixels does 9, so Winograd needs the tiles' panels to number less
     * than a quarter of the pixels': an 8x8 output, 4 tiles in one panel of 32, runs faster
     * lowered in 2 full panels. (measurements: docs/benchmarks.md#engine-kernels)
     */
    private static boolean winogradIsFaster(Shape input, int filters, int outHeight, int outWidth) {
        int tiles = ((outHeight + WinogradTransform.TILE - 1) / WinogradTransform.TILE)
                * ((outWidth + WinogradTransform.TILE - 1) / WinogradTransform.TILE);
        return input.channels() >= 16 && input.channels() * filters >= 1024 && outHeight >= 8 && outWidth >= 8
                && 4 * ColumnPanels.count(tiles) < ColumnPanels.count(outHeight * outWidth);
    }
}
