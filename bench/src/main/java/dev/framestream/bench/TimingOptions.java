package dev.framestream.bench;

import picocli.CommandLine.Option;

/**
 * {@code --seconds}, {@code --warmup-seconds} and {@code --rounds}: how long a benchmark times each
 * case (a batch size, a variant, a runtime) and how often it measures them all in rotation. Each
 * command gives its own defaults; each value is checked where it is read.
 */
final class TimingOptions {

    @Option(names = "--seconds", paramLabel = "S", description = "Timed seconds per case and round (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--warmup-seconds", paramLabel = "S",
            description = "Untimed seconds before a case is first timed, so the JIT has compiled its kernels (default: ${DEFAULT-VALUE}).")
    private double warmupSeconds;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Measure every case N times, all cases in rotation, and print the median round with the range: "
                    + "shared machines vary by tens of percent between runs (default: ${DEFAULT-VALUE}).")
    private int rounds;

    TimingOptions(double seconds, double warmupSeconds, int rounds) {
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
        this.rounds = rounds;
    }

    double seconds() {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
        }
        return seconds;
    }

    double warmupSeconds() {
        if (!(warmupSeconds >= 0)) {
            throw new IllegalArgumentException("--warmup-seconds must not be negative, got " + warmupSeconds);
        }
        return warmupSeconds;
    }

    int rounds() {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        return rounds;
    }
}
