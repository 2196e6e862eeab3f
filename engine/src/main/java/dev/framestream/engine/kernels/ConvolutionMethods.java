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
        boolean direct = DirectConvolution.applies(filters, stride, outWidth);
        ConvolutionChoice method = switch (kernels.convolution()) {
            case GEMM -> ConvolutionChoice.GEMM;
            case DIRECT -> direct ? ConvolutionChoice.DIRECT : ConvolutionChoice.GEMM;
            case WINOGRAD -> winograd ? ConvolutionChoice.WINOGRAD : ConvolutionChoice.GEMM;
            case AUTO -> winograd && winogradIsFaster(input, filters) ? ConvolutionChoice.WINOGRAD
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
     * Measured on one core of the 2-core Zen 3 VM (JDK 25, `framestream bench engine --threads 1
     * --batch 1,32 --conv direct,gemm` on each layer alone, ReLU and 2x2 max-pool fused, frames/s
     * at batch 1 and 32, both methods in the same rounds):
     *   1->8 5x5 on 28x28      gemm 71,764 / 86,330     direct 121,230 / 193,932
     *   1->16 5x5 on 28x28     gemm 99,427 / 83,817     direct 99,975 / 104,548
     *   8->16 5x5 on 12x12     gemm 118,955 / 119,984   direct 161,829 / 157,618
     *   1->32 5x5 on 28x28     gemm 55,538 / 53,574     direct 53,921 / 54,865
     *   8->32 5x5 on 12x12     gemm 89,312 / 91,361     direct 87,290 / 81,945
     *   3->8 3x3 on 64x64      gemm 19,882 / 18,268     direct 19,320 / 18,135
     *   3->16 3x3 on 64x64     gemm 11,188 / 11,875     direct 9,539 / 9,309
     *   3->32 3x3 on 64x64     gemm 6,596 / 6,121       direct 4,385 / 3,988   (3 runs: gemm ahead by 1.1-1.6x)
     * The lowering copies K floats per 16 pixels whatever the filter count, so its GEMM needs
     * filters (rows) to amortise that copy; the direct kernel reads the input in place, and fastest
     * for 5-wide kernels, whose column loop it unrolls ({@link VectorDirectConv}).
     */
    private static boolean directIsFaster(int filters, int kernelWidth) {
        return filters <= (kernelWidth == 5 ? 16 : 8);
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
