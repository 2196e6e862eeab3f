/**
 * The classifier: a Kafka Streams application that reads frames, validates them
 * ({@code validation}), gathers them into micro-batches in a changelogged store ({@code batching}),
 * runs each batch through the engine ({@code inference}) and writes classifications, while a
 * follower of {@code model.weights} validates and swaps in new versions ({@code weights}).
 *
 * <p>This package holds what the steps pass between them and share (the
 * {@link dev.framestream.classifier.Outcome} of a record, a {@link dev.framestream.classifier.PendingFrame},
 * the settings and the meters) and imports none of its sub-packages;
 * {@code streams} wires the steps into the topology and runs it, so every arrow runs one way.
 */
package dev.framestream.classifier;
