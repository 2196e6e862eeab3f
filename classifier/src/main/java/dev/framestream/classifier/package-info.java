/**
 * The classifier: a Kafka Streams application that reads frames, validates them
 * ({@code validation}), gathers them into micro-batches in a changelogged store ({@code batching}),
 * runs each batch through the engine ({@code inference}) and writes classifications, while a
 * follower of {@code model.weights} validates and swaps in new versions ({@code weights}).
 * {@link dev.framestream.classifier.ClassifierTopology} wires the steps.
 */
package dev.framestream.classifier;
