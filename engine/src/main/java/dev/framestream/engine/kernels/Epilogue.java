package dev.framestream.engine.kernels;

/**
 * What a convolution does to its output before writing it, when the layers that follow it in the
 * network are fused into it for inference: each saves a full pass over the activations.
 */
public enum Epilogue {
    /** The convolution's output as it is. */
    NONE,
    /** max(x, 0): the ReLU that follows the convolution. */
    RELU,
    /**
     * The 2x2 stride-2 max-pool of the ReLU'd output (a quarter of the size): ReLU then max-pool,
     * which is the same as max-pool then ReLU.
     */
    RELU_MAXPOOL,
    /** min(max(x, 0), 6): the ReLU6 that follows MobileNet's convolutions (a clip from 0 to 6). */
    RELU6;

    /** The least value the output keeps: 0 after a ReLU, negative infinity for none. */
    public float floor() {
        return this == NONE ? Float.NEGATIVE_INFINITY : 0f;
    }

    /** The greatest value the output keeps: 6 after a ReLU6, positive infinity otherwise. */
    public float ceiling() {
        return this == RELU6 ? 6f : Float.POSITIVE_INFINITY;
    }
}
