package dev.framestream.engine.kernels;

/** One way to compute the gradients of one example's convolution: {@link ConvolutionGradients}, {@link GroupedConvolutionGradients}. */
public interface ConvolutionBackward {

    /** Floats of per-thread scratch {@link #backward} needs. */
    int scratchFloats();

    /** Re-derives the forms of the weights the input gradient uses; call after the weights change. */
    void packWeights(float[] weight);

    /**
     * One example: adds its weight and bias gradients and, unless {@code gradIn} is null (the
     * network's first layer needs none), writes its input gradient.
     *
     * @param in       the example's forward input from {@code inOff}
     * @param gradOut  dL/d(output) from {@code gOff}, {@code F x OH x OW}
     * @param gradIn   dL/d(input) is written here from {@code gInOff}, or null
     */
    void backward(float[] in, int inOff, float[] gradOut, int gOff, float[] gradIn, int gInOff,
                  float[] weightGrad, float[] biasGrad, float[] scratch);
}
