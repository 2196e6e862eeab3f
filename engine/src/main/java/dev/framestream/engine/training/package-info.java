/**
 * Training the engine's networks: {@link dev.framestream.engine.training.Training} runs a step
 * (forward, fused softmax-cross-entropy loss, backward, gradient clipping, optimiser update)
 * data-parallel over the batch, deterministically for a given seed and thread count.
 */
package dev.framestream.engine.training;
