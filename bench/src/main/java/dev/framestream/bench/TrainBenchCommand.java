package dev.framestream.bench;

import java.util.List;
import java.util.concurrent.Callable;

import dev.framestream.cli.BatchSizesOption;
import dev.framestream.cli.EngineThreadsOption;
import dev.framestream.cli.InputOption;
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
            description = "DIGITS, CAMERA, a named net (RESNET18, MOBILENETV2, SQUEEZENET11, RESNET8, LENET5, optionally with \"in CxHxW classes N\"), or an architecture spec in quotes (default: ${DEFAULT-VALUE}).")
    private String net;

    @Mixin
    private final InputOption input = new InputOption();

    @Mixin
    private final BatchSizesOption batchSizes = new BatchSizesOption(32, 64);

    @Mixin
    private final EngineThreadsOption engineThreads = new EngineThreadsOption();

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "${env:FRAMESTREAM_OPTIMIZER:-sgd}",
            description = "sgd (momentum 0.9), nesterov, adam or adamw (default: ${DEFAULT-VALUE}).")
    private OptimizerKind optimizer;

    @Mixin
    private final TimingOptions timing = new TimingOptions(3, 2, 3);

    @Mixin
    private final SeedOption seedOption = new SeedOption(42);

    @Override
    public Integer call() {
        net = input.applyTo(net);
        List<Integer> batches = batchSizes.sizes();
        new TrainBenchmark(net, optimizer, engineThreads.poolSize(), timing.seconds(), timing.warmupSeconds(), timing.rounds(), seedOption.value())
                .run(batches, System.out);
        return 0;
    }
}
