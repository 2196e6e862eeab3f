package dev.framestream.cli;

import picocli.CommandLine.Option;

/** {@code --threads N}: the engine's worker threads, for every command that runs the engine. */
public final class EngineThreadsOption {

    @Option(names = "--threads", paramLabel = "N",
            description = "Engine worker threads, the caller included; 0 = one per core (default: ${DEFAULT-VALUE}).")
    private int threads;

    /** The flag as given: 0 means one per core. */
    public int count() {
        return threads;
    }

    /**
     * The worker pool's size: the flag, or one per core for 0.
     *
     * @throws IllegalArgumentException for a negative count, naming the flag
     */
    public int poolSize() {
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be 0 (one per core) or more, got " + threads);
        }
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
