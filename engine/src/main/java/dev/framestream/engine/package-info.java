/**
 * The CNN engine: a network built from an architecture spec, run batched and in parallel.
 *
 * <p>Where a batch goes: {@link dev.framestream.engine.Network} holds the layers and their weights;
 * an {@link dev.framestream.engine.Inference} owns the buffers of one caller and runs the layers in
 * order ({@code layers}), whose heavy lifting is done by {@code kernels} on the shared
 * {@code parallel.WorkerPool}. The engine knows nothing of Kafka or Avro.
 */
package dev.framestream.engine;
