package dev.framestream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.framestream.cli.BatchSizesOption;
import dev.framestream.cli.EngineThreadsOption;
import dev.framestream.cli.InputOption;
import dev.framestream.cli.SeedOption;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.ConvolutionChoice;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.spec.ArchitectureSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code framestream bench engine}: forward-pass throughput and latency of one network per batch size. */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = {
                "Time the CNN engine's batched forward pass and print, per batch size: frames/s, batch latency "
                        + "p50/p99, GFLOP/s of the whole net and of its conv layers, and the share of the machine's "
                        + "fp32 FMA peak measured in the same run.",
                "",
                "Example: framestream bench engine --net CAMERA --batch 1,8,32,64 --threads 2",
                ""
        })
public final class EngineBenchCommand implements Callable<Integer> {

    @Option(names = "--net", paramLabel = "NET", defaultValue = "${env:FRAMESTREAM_NET:-DIGITS}",
            description = "DIGITS, CAMERA, a named net (RESNET18, MOBILENETV2, SQUEEZENET11, RESNET8, LENET5, optionally with \"in CxHxW classes N\"), or an architecture spec in quotes (default: ${DEFAULT-VALUE}).")
    private String net;

    @Mixin
    private final InputOption input = new InputOption();

    @Mixin
    private final BatchSizesOption batchSizes = new BatchSizesOption(1, 8, 32, 64);

    @Mixin
    private final EngineThreadsOption engineThreads = new EngineThreadsOption();

    @Mixin
    private final TimingOptions timing = new TimingOptions(3, 2, 3);

    @Option(names = "--kernels", paramLabel = "SET", split = ",", defaultValue = "${env:FRAMESTREAM_KERNELS:-auto}",
            description = "Kernel set: auto, scalar, vector4 or vector6; several (comma-separated) are measured "
                    + "side by side in the same rounds (default: ${DEFAULT-VALUE}).")
    private List<String> kernels;

    @Option(names = "--conv", paramLabel = "METHOD", split = ",", defaultValue = "${env:FRAMESTREAM_CONV:-auto}",
            description = "Convolution method: auto (by shape), gemm (im2col + GEMM), direct or winograd (3x3 only); "
                    + "several are measured side by side, e.g. --conv gemm,winograd (default: ${DEFAULT-VALUE}).")
    private List<ConvolutionChoice> conv;

    @Option(names = "--layers", defaultValue = "${env:FRAMESTREAM_LAYERS:-false}",
            description = "Also print each step's share of the time (from the profiled run; a convolution fused with its ReLU and max-pool is one step).")
    private boolean layers;

    @Mixin
    private final SeedOption seedOption = new SeedOption(42);

    @Override
    public Integer call() {
        net = input.applyTo(net);
        List<Integer> batches = batchSizes.sizes();
        double seconds = timing.seconds();
        double warmupSeconds = timing.warmupSeconds();
        int rounds = timing.rounds();
        int poolThreads = engineThreads.poolSize();
        ArchitectureSpec spec = ArchitectureSpec.of(net);
        List<EngineBenchmark.Variant> variants = new ArrayList<>();
        for (String set : kernels) {
            for (ConvolutionChoice method : conv) {
                Network network = Network.build(spec, Kernels.named(set).withConvolution(method));
                network.initialise(seedOption.value());
                variants.add(new EngineBenchmark.Variant(set + "/" + method.label(), network));
            }
        }
        EngineBenchmark benchmark = new EngineBenchmark(variants, net, poolThreads, seconds, warmupSeconds, rounds, seedOption.value());
        benchmark.run(batches, layers, System.out);
        return 0;
    }
}
