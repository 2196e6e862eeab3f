package dev.framestream.engine.kernels;

import dev.framestream.engine.Shape;

/**
 * Picks the convolution method per layer shape, as {@link Kernels#convolution()} asks: {@code auto}
 * decides by shape, {@code gemm} always lowers, {@code direct} uses the direct kernel wherever it
 * applies and lowers elsewhere.
 */
public final class ConvolutionMethods {

    private ConvolutionMethods() {
    }

    /** The method for one convolution layer. */
    public static ConvolutionMethod choose(Kernels kernels, Shape input, int filters,
                                           int kernelHeight, int kernelWidth, int stride, int pad, int outHeight, int outWidth) {
        boolean direct = switch (kernels.convolution()) {
            case "gemm" -> false;
            case "direct" -> DirectConvolution.applies(filters, stride, outWidth);
            case "auto" -> DirectConvolution.applies(filters, stride, outWidth) && directIsFaster(input, filters);
            default -> throw new IllegalStateException("unknown convolution method " + kernels.convolution());
        };
        return direct
                ? new DirectConvolution(kernels.directConv(), input, filters, kernelHeight, kernelWidth, pad, outHeight, outWidth)
                : new LoweredConvolution(kernels.gemm(), kernels.elementwise(), input, filters, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth);
    }

    /*
     * Measured with `framestream bench engine --layers` and -Dframestream.conv=gemm|direct on the
     * reference nets (2-core Zen 3, JDK 25): see engine/README.md. The lowering costs K floats
     * copied per 16 pixels whatever the filter count, so few filters favour the direct kernel.
     */
    private static boolean directIsFaster(Shape input, int filters) {
        return filters <= 8;
    }
}
