/**
 * The engine's vocabulary: {@link dev.framestream.engine.tensor.Shape} (the size of one example) and
 * {@link dev.framestream.engine.tensor.Tensor} (a batch of them, NCHW float32). Every other engine
 * package speaks in these types and this package depends on none of them, so the arrows between
 * the engine's packages run one way.
 */
package dev.framestream.engine.tensor;
