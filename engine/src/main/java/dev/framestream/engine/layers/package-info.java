/**
 * The layers of a CNN, one class each. A layer knows its input and output shapes from construction,
 * owns its parameters, and computes its forward pass through the {@code kernels}; its training
 * forward pass and backward pass sit next to the forward pass in the same class.
 *
 * <p>Most layers are {@link dev.framestream.engine.layers.ExampleLayer}s: one example at a time,
 * optionally cut into slices so a small batch still uses every core. A
 * {@link dev.framestream.engine.layers.BatchLayer} (dense) works on the whole batch at once, because
 * its weights are worth reading once per batch rather than once per example.
 */
package dev.framestream.engine.layers;
