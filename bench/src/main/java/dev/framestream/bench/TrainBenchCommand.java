package dev.framestream.bench;

import java.util.List;
import java.util.concurrent.Callable;

import dev.framestream.engine.training.OptimizerKind;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code framestream bench train}: training throughput (forward + backward + update) per batch size. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
                "Time training steps (forward, loss, backward, optimiser update) on random data and print, per batch "
                        + "size: examples/s, step latency p50/p99, GFLOP/s and the share of the machine's fp32 FMA peak.",
                "",
                "Example: framestream bench train --net CAMERA --batch 32,64 --threads 2",
                ""
        })
public final class TrainBenchCommand implements Callable<Integer> {

    @Option(names = "--net", paramLabel = "NET", defaultValue = "${env:FRAMESTREAM_NET:-DIGITS}",
            description = "DIGITS, CAMERA, or an architecture spec in quotes (default: ${DEFAULT-VALUE}).")
    private String net;

    @Option(names = "--batch", paramLabel = "N", split = ",", defaultValue = "${env:FRAMESTREAM_BATCH:-32,64}",
            description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    private List<Integer> batches;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_THREADS:-0}",
            description = "Engine worker threads, the caller included; 0 = one per core (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "${env:FRAMESTREAM_OPTIMIZER:-sgd}",
            description = "sgd (momentum 0.9), nesterov, adam or adamw (default: ${DEFAULT-VALUE}).")
    private OptimizerKind optimizer;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "${env:FRAMESTREAM_SECONDS:-3}",
            description = "Timed seconds per batch size and round (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "${env:FRAMESTREAM_WARMUP_SECONDS:-2}",
            description = "Untimed seconds of steps first, so the JIT has compiled the kernels (default: ${DEFAULT-VALUE}).")
    private double warmupSeconds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_ROUNDS:-3}",
            description = "Measure all batch sizes N times in rotation and print the median round with the range (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_SEED:-42}",
            description = "Seed of the weights and the random data (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() {
        if (batches.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("--batch sizes must be at least 1, got " + batches);
        }
        if (seconds <= 0 || warmupSeconds < 0 || rounds < 1 || threads < 0) {
            throw new IllegalArgumentException("--seconds must be positive, --warmup-seconds not negative, --rounds at least 1"
                    + " and --threads 0 (one per core) or more");
        }
        int poolThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        new TrainBenchmark(net, optimizer, poolThreads, seconds, warmupSeconds, rounds, seed).run(batches, System.out);
        return 0;
    }
}
