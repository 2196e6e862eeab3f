package dev.framestream.engine.training;

import java.util.List;

import dev.framestream.engine.layers.Parameter;

/**
 * Turns a step's gradients into new parameter values. The engine calls {@link #update} on
 * disjoint ranges of each parameter from several threads at once, so an implementation keeps its
 * per-value state (momentum, moments) in arrays indexed like the parameter.
 */
public sealed interface Optimizer permits Sgd, Adam {

    /** Allocates the per-value state for these parameters; called once, before the first step. */
    void attach(List<Parameter> parameters);

    /** Called once at the start of every step, before its updates. */
    default void beginStep() {
    }

    /**
     * Updates values {@code [from, to)} of parameter {@code index} (in {@link #attach} order) from
     * their gradient times {@code gradientScale} (the clipping factor, 1 without clipping).
     */
    void update(int index, Parameter parameter, float[] gradient, int from, int to, float learningRate, float gradientScale);

    /** Weight decay applies to weights, not to biases (which do not make a network overfit). */
    static boolean decays(Parameter parameter) {
        return parameter.dims().length > 1;
    }
}
