package dev.framestream.cli;

import picocli.CommandLine.Option;

/** {@code --batch N}: examples per training step, or frames per forward pass. */
public final class BatchOption {

    @Option(names = "--batch", paramLabel = "N",
            description = "Examples per batch: per training step, or per forward pass (default: ${DEFAULT-VALUE}).")
    private int batch;

    /** @param defaultBatch the size when neither the flag nor {@code FRAMESTREAM_BATCH} gives one */
    public BatchOption(int defaultBatch) {
        this.batch = defaultBatch;
    }

    public int size() {
        return batch;
    }
}
