package dev.framestream.engine.kernels;

import java.util.List;

import dev.framestream.engine.Shape;

/**
 * Picks the convolution method per layer shape, as {@link Kernels#convolution()} asks: {@code auto}
 * decides by shape; {@code gemm} always lowers; {@code direct} and {@code winograd} use their
 * method wherever it applies and lower elsewhere.
 */
public final class ConvolutionMethods {

    /** The accepted values of {@link Kernels#convolution()}. */
    public static final List<String> NAMES = List.of("auto", "gemm", "direct", "winograd");

    private ConvolutionMethods() {
    }

    /** The method for one convolution layer. */
    public static ConvolutionMethod choose(Kernels kernels, Shape input, int filters,
                                           int kernelHeight, int kernelWidth, int stride, int pad, int outHeight, int outWidth) {
        boolean winograd = WinogradConvolution.applies(kernelHeight, kernelWidth, stride);
        boolean direct = DirectConvolution.applies(filters, stride, outWidth);
        String method = switch (kernels.convolution()) {
            case "gemm" -> "gemm";
            case "direct" -> direct ? "direct" : "gemm";
            case "winograd" -> winograd ? "winograd" : "gemm";
            case "auto" -> winograd && winogradIsFaster(input, filters) ? "winograd" : direct && directIsFaster(filters) ? "direct" : "gemm";
            default -> throw new IllegalStateException("unknown convolution method " + kernels.convolution());
        };
        return switch (method) {
            case "winograd" -> new WinogradConvolution(kernels.gemm(), kernels.winograd(), input, filters, pad);
            case "direct" -> new DirectConvolution(kernels.directConv(), input, filters, kernelHeight, kernelWidth, pad, outHeight, outWidth);
            default -> new LoweredConvolution(kernels.gemm(), kernels.elementwise(), input, filters, kernelHeight, kernelWidth, stride, pad,
                    outHeight, outWidth);
        };
    }

    /*
     * Measured on one core of the 2-core Zen 3 VM (JDK 25, `framestream bench engine --threads 1
     * --batch 64 --conv gemm|direct` on each layer alone, GFLOP/s, two runs):
     *   1->8 5x5 on 28x28      gemm 17-22   direct 38-51
     *   8->16 5x5 on 12x12     gemm 37-42   direct 56-65
     *   3->32 3x3 on 64x64     gemm 28-34   direct 37-41
     *   32->64 3x3 on 32x32    gemm 64-66   direct 48-59
     *   64->128 3x3 on 16x16   gemm 74-79   direct 58-62
     * The lowering copies K floats per 16 pixels whatever the filter count, and its GEMM needs
     * many filters (rows) to amortise that copy; the direct kernel reads the input in place.
     */
    private static boolean directIsFaster(int filters) {
        return filters <= 32;
    }

    /*
     * Winograd F(4x4, 3x3) against the others, same setup but all in one run (`--conv
     * gemm,direct,winograd --batch 32 --rounds 3`), frames/s:
     *   3->32 3x3 on 64x64 (pooled)    gemm 3,257   direct 4,935   winograd 3,712
     *   16->16 3x3 on 16x16            gemm 23,895  direct 38,153  winograd 20,539
     *   64->16 3x3 on 16x16                         direct 8,282   winograd 8,805
     *   32->32 3x3 on 32x32                         direct 2,762   winograd 3,349
     *   16->64 3x3 on 32x32                         direct 1,928   winograd 3,038
     *   32->64 3x3 on 32x32 (pooled)   gemm 1,527   direct 976     winograd 3,087
     *   64->128 3x3 on 16x16 (pooled)  gemm 1,839   direct 1,332   winograd 4,201
     * Its GEMMs are C deep and F high, so with few channels or filters the transforms cost more
     * than they save.
     */
    private static boolean winogradIsFaster(Shape input, int filters) {
        return input.channels() >= 16 && input.channels() * filters >= 1024;
    }
}
