package dev.framestream.bench;

import java.util.List;
import java.util.concurrent.Callable;

import dev.framestream.cli.BatchSizesOption;
import dev.framestream.cli.EngineThreadsOption;
import dev.framestream.cli.SeedOption;
import dev.framestream.engine.training.OptimizerKind;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    private final BatchSizesOption batchSizes = new BatchSizesOption(32, 64);

    @Mixin
    private final EngineThreadsOption engineThreads = new EngineThreadsOption();

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

    @Mixin
    private final SeedOption seedOption = new SeedOption(42);

    @Override
    public Integer call() {
        if (batchSizes.sizes().stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("--batch sizes must be at least 1, got " + batchSizes.sizes());
        }
        if (seconds <= 0 || warmupSeconds < 0 || rounds < 1) {
            throw new IllegalArgumentException("--seconds must be positive, --warmup-seconds not negative and --rounds at least 1");
        }
        int poolThreads = engineThreads.poolSize();
        new TrainBenchmark(net, optimizer, poolThreads, seconds, warmupSeconds, rounds, seedOption.value()).run(batchSizes.sizes(), System.out);
        return 0;
    }
}
