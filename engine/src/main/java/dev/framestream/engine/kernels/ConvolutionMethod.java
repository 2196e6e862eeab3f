package dev.framestream.engine.kernels;

/**
 * One way to compute a convolution's forward pass for one example, in units that may run on
 * different threads. {@link LoweredConvolution} (im2col + GEMM) computes any convolution;
 * {@link DirectConvolution} is faster for few filters where it applies.
 */
public interface ConvolutionMethod {

    /** A short name for benchmarks and logs: {@code gemm} or {@code direct}. */
    String name();

    /** Independent units of one example's work. */
    int units();

    /** Floats of per-thread scratch {@link #forward} needs. */
    int scratchFloats();

    /** Re-derives the method's packed weights from {@code weight} ({@code F x C x KH x KW}). */
    void packWeights(float[] weight);

    /**
     * Units {@code [first, end)} of one example: input from {@code inOff}, output (F planes) from
     * {@code outOff}, each output plane starting with its filter's bias.
     */
    void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, float[] scratch);

    /** Whether {@link #forward(float[], int, float[], float[], int, int, int, Epilogue, float[])} can apply {@code epilogue}. */
    default boolean fuses(Epilogue epilogue) {
        return epilogue == Epilogue.NONE;
    }

    /**
     * Like {@link #forward(float[], int, float[], float[], int, int, int, float[])}, with
     * {@code epilogue} applied to the output before it is written; with {@link
     * Epilogue#RELU_MAXPOOL} the output planes are the pooled ones. Only for epilogues the method
     * {@link #fuses}.
     */
    default void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue,
                         float[] scratch) {
        if (!fuses(epilogue)) {
            throw new IllegalArgumentException(name() + " convolution cannot fuse " + epilogue);
        }
        forward(in, inOff, bias, out, outOff, first, end, scratch);
    }
}
