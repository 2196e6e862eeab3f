package dev.framestream.engine.kernels;

/**
 * One way to compute a convolution's forward pass for one example, in units that may run on
 * different threads. {@link LoweredConvolution} (im2col + GEMM) computes any convolution;
 * {@link DirectConvolution} is faster for few filters where it applies.
 */
public interface ConvolutionMethod {

    /**
     * A short name for benchmarks and logs: {@code gemm}, {@code direct} or {@code winograd}, the
     * method that runs; never {@code auto}, the choice that picks one of them per layer shape.
     */
    String name();

    /** Independent units of one example's work. */
    int units();

    /** Floats of per-thread scratch {@link #forward} needs. */
    int scratchFloats();

    /** Re-derives the method's packed weights from {@code weight} ({@code F x C x KH x KW}). */
    void packWeights(float[] weight);

    /** Whether {@link #forward} can apply {@code epilogue}; every method writes plain output ({@link Epilogue#NONE}). */
    default boolean fuses(Epilogue epilogue) {
        return epilogue == Epilogue.NONE;
    }

    /**
     * Units {@code [first, end)} of one example: input from {@code inOff}, output (F planes) from
     * {@code outOff}, each output plane starting with its filter's bias, with {@code epilogue}
     * applied before it is written (with {@link Epilogue#RELU_MAXPOOL} the planes are the pooled
     * ones). The caller passes only an epilogue the method {@link #fuses}.
     */
    void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue, float[] scratch);
}
