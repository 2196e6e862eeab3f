package dev.framestream.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed N}: seeds every random choice a command makes (weights, data order, augmentation,
 * synthetic cameras, kill times), so the same seed gives the same run.
 */
public final class SeedOption {

    @Option(names = "--seed", paramLabel = "N",
            description = "Seeds every random choice of the command; the same seed gives the same run (default: ${DEFAULT-VALUE}).")
    private long seed;

    /** Seed 1, the default of the commands that train or ingest. */
    public SeedOption() {
        this(1);
    }

    /** @param defaultSeed the seed when neither the flag nor {@code FRAMESTREAM_SEED} gives one */
    public SeedOption(long defaultSeed) {
        this.seed = defaultSeed;
    }

    public long value() {
        return seed;
    }
}
