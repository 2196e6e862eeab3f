package dev.framestream.schemas;

/**
 * The default topic names of docs/design.md and the largest frame record, shared by everything that
 * writes or reads those topics (every service makes the names configurable).
 */
public final class TopicNames {
    public static final String FRAMES = "frames";
    public static final String FRAMES_LABELLED = "frames.labelled";
    public static final String CLASSIFICATIONS = "classifications";
    public static final String MODEL_WEIGHTS = "model.weights";
    public static final String DEAD_LETTERS = "frames.dlq";
    public static final String TRAINING_PROGRESS = "training.progress";

    /**
     * The largest Frame record: a 1920x1080 BGR frame is 6.2 MB; 16 MB leaves room for 4K grey or
     * 2K colour. Topics allow it, producers raise {@code max.request.size} and consumers
     * {@code max.partition.fetch.bytes} to it.
     */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private TopicNames() {
    }
}
