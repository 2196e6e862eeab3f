package dev.framestream.engine.layers;

import java.util.List;

import dev.framestream.engine.tensor.Shape;

/**
 * One layer of a network, with fixed input and output shapes, its forward pass and its backward
 * pass.
 *
 * <p>Training runs a contiguous range of examples of the batch through each layer on one thread
 * ({@link #trainingForward}, then {@link #backward} in reverse order); the engine runs several such
 * ranges in parallel, each with its own gradient buffers, and sums them in a fixed order.
 */
public sealed interface Layer permits ExampleLayer, BatchLayer, JoinLayer {

    /** Unique name within the network, e.g. {@code conv1}; parameter names start with it. */
    String name();

    /** The spec text that builds this layer, e.g. {@code conv 8 5x5}. */
    String spec();

    Shape inputShape();

    Shape outputShape();

    /** The layer's learnable tensors; empty for layers without any. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Tensors the layer keeps that no gradient trains (batch normalisation's running averages):
     * they travel with the weights, and the layer itself updates them in training.
     */
    default List<Parameter> state() {
        return List.of();
    }

    /** Called after a parameter's values changed, so derived forms (packed weights) follow. */
    default void parametersChanged() {
    }

    /** Floating-point operations of one example's forward pass, a multiply-add counting two. */
    default long flopsPerExample() {
        return 0;
    }

    /**
     * The training forward pass of examples {@code [from, to)} on the calling thread: the values of
     * the inference forward pass, except where training differs (dropout draws its mask from
     * {@code seed}). {@code in} and {@code out} hold the whole batch, example n at
     * {@code n * shape.size()}.
     *
     * @param scratch at least {@link #trainingScratchFloats} floats that only this call uses
     */
    void trainingForward(float[] in, float[] out, int from, int to, long seed, float[] scratch);

    /**
     * The backward pass of examples {@code [from, to)}: from the forward pass's {@code in} and
     * {@code out} and the loss gradient {@code gradOut} (shaped like {@code out}), writes the
     * input gradient to {@code gradIn} (skipped when null: the first layer needs none) and adds
     * ({@code +=}) each parameter's gradient to {@code gradients[i]}, aligned with
     * {@link #parameters()}.
     */
    void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                  float[][] gradients, long seed, float[] scratch);

    /** Floats of scratch {@link #trainingForward} and {@link #backward} need for up to {@code examples} examples. */
    default int trainingScratchFloats(int examples) {
        return 0;
    }

    /** Re-derives what {@link #backward} needs from the parameters (packed transposes); once per training step. */
    default void prepareBackward() {
    }
}
