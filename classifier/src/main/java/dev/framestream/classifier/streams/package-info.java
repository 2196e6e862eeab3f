/**
 * The Kafka Streams application itself: {@link dev.framestream.classifier.streams.ClassifierTopology}
 * wires validation, the micro-batches and the engine into one topology, and
 * {@link dev.framestream.classifier.streams.ClassifierService} runs it (exactly once), follows the
 * weights topic and swaps in new versions.
 */
package dev.framestream.classifier.streams;
