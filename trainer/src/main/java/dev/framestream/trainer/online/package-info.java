/**
 * Online training: {@code frames.labelled} in, versioned weights out. {@link dev.framestream.trainer.online.OnlineTrainer}
 * is the Kafka side (consume, dead letters, the transaction that publishes a version with the
 * offsets it consumed, resumption); {@link dev.framestream.trainer.online.OnlineLearner} is the
 * learning side and knows nothing of Kafka (fresh and replayed examples per step, the hold-out,
 * the champion/challenger gate).
 */
package dev.framestream.trainer.online;
