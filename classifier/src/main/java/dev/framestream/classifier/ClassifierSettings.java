package dev.framestream.classifier;

import java.time.Duration;

/**
 * How the classifier's topology behaves: its topics, when a micro-batch is full or due, how many
 * labels a verdict lists, and whether frames must already be the model's input size.
 *
 * @param maxBatch  frames per engine call at most; a batch goes as soon as this many wait
 * @param maxWait   the longest a frame waits for its batch to fill (wall-clock time)
 * @param topK      labels per classification, most probable first (fewer if the model has fewer classes)
 * @param exactSize refuse frames whose size differs from the model's input instead of resizing them
 */
public record ClassifierSettings(String framesTopic, String classificationsTopic, String deadLetterTopic,
                                 int maxBatch, Duration maxWait, int topK, boolean exactSize) {

    public ClassifierSettings {
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("--max-batch must be 1 to 4096, got " + maxBatch);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("--max-wait-ms must be positive, got " + maxWait.toMillis());
        }
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
        }
    }

    /** How often the batcher looks at the clock: often enough that a due batch waits at most a quarter of maxWait more. */
    public Duration tick() {
        return Duration.ofMillis(Math.clamp(maxWait.toMillis() / 4, 1, 50));
    }
}
