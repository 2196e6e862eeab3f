package dev.framestream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.framestream.bench.peers.BenchmarkSuite;
import dev.framestream.bench.peers.CompareBenchmark;
import dev.framestream.bench.peers.SuiteComparison;
import dev.framestream.cli.BatchSizesOption;
import dev.framestream.cli.InputOption;
import dev.framestream.cli.SeedOption;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.spec.ReferenceNets;
import dev.framestream.onnx.OnnxExport;
import dev.framestream.onnx.OnnxImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code framestream bench compare}: the engine beside ONNX Runtime and OpenCV DNN on the same network and weights. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
                "Run the same network and weights through the framestream engine, ONNX Runtime (Java, CPU) and OpenCV DNN, "
                        + "one after another in this process with the same warm-up and timing, per thread count and batch size. "
                        + "Checks that the outputs agree and prints frames/s, batch latency p50/p99, and the engine's ratio to each.",
                "",
                "With --suite, every network of the benchmark suite (DIGITS, CAMERA, LENET5, a VGG-style 3x32x32 net, RESNET8, "
                        + "RESNET18 at 3x64x64 and 3x224x224, MOBILENETV2 and SQUEEZENET11 at 3x224x224) at batch 1 and 32 (16 at 224x224), "
                        + "then one table and the geometric mean of engine ÷ ONNX Runtime. It fails only if ONNX Runtime and the engine disagree.",
                "",
                "Example: framestream bench compare --net CAMERA --batch 1,8,32,64 --threads 1,2",
                "         framestream bench compare --net model.onnx --batch 1,32",
                "         framestream bench compare --suite",
                ""
        })
public final class CompareBenchCommand implements Callable<Integer> {
    @Option(names = "--net", paramLabel = "NET", defaultValue = "${env:FRAMESTREAM_NET:-DIGITS}",
            description = "DIGITS, CAMERA, a named net (RESNET18, MOBILENETV2, SQUEEZENET11, RESNET8, LENET5, optionally with \"in CxHxW classes N\"), an architecture spec in quotes (seeded random weights), or a FILE.onnx "
                    + "(the engine imports it; the peers load the file as it is) (default: ${DEFAULT-VALUE}).")
    private String net;

    @Mixin
    private final InputOption input = new InputOption();

    @Mixin
    private final BatchSizesOption batchSizes = new BatchSizesOption(1, 8, 32, 64);

    @Option(names = "--threads", paramLabel = "N", split = ",", defaultValue = "${env:FRAMESTREAM_THREADS:-1,2}",
            description = "Thread counts, each runtime given the same (default: ${DEFAULT-VALUE}).")
    private List<Integer> threads;

    @Option(names = "--peers", paramLabel = "PEER", split = ",", defaultValue = "${env:FRAMESTREAM_PEERS:-onnxruntime,opencv}",
            description = "Peers to run beside the engine: onnxruntime, opencv (default: ${DEFAULT-VALUE}).")
    private List<String> peers;

    @Mixin
    private final TimingOptions timing = new TimingOptions(1, 1, 7);

    @Mixin
    private final SeedOption seedOption = new SeedOption(42);

    @Option(names = "--suite", description = "Run the benchmark suite instead of one --net; --batch, when given, replaces every net's batch sizes.")
    private boolean suite;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Integer> batches = batchSizes.sizes();
        if (threads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--threads values must be at least 1, got " + threads);
        }
        double seconds = timing.seconds();
        double warmupSeconds = timing.warmupSeconds();
        int rounds = timing.rounds();
        List<CompareBenchmark.Peer> chosen = peers.stream().map(CompareBenchCommand::peer).toList();
        if (suite) {
            return runSuite(chosen, batches, seconds, warmupSeconds, rounds);
        }
        net = input.applyTo(net);
        CompareBenchmark benchmark = new CompareBenchmark(subject(), chosen, seconds, warmupSeconds, rounds, seedOption.value());
        List<CompareBenchmark.Row> rows = benchmark.run(threads, batches, System.out);
        double worst = rows.stream().mapToDouble(CompareBenchmark.Row::maxDifference).max().orElse(0);
        if (worst > CompareBenchmark.AGREEMENT) {
            System.out.printf("%nThe runtimes disagree: max |Δ| %.2e > %.0e. The figures above do not compare the same computation.%n",
                    worst, CompareBenchmark.AGREEMENT);
            return 1;
        }
        return 0;
    }

    private int runSuite(List<CompareBenchmark.Peer> chosen, List<Integer> batches, double seconds, double warmupSeconds, int rounds)
            throws Exception {
        ParseResult given = spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--net") || given.hasMatchedOption("--input")) {
            throw new IllegalArgumentException("--suite runs the suite's own networks; leave out --net and --input, or leave out --suite");
        }
        SuiteComparison comparison = new SuiteComparison(chosen, seconds, warmupSeconds, rounds, seedOption.value());
        List<SuiteComparison.Case> cases = comparison.run(BenchmarkSuite.ENTRIES, threads,
                given.hasMatchedOption("--batch") ? batches : null, System.out);
        if (!SuiteComparison.allAgree(cases)) {
            System.out.printf("%nONNX Runtime and the engine disagree (lines marked DISAGREES): the figures do not compare the same computation.%n");
            return 1;
        }
        return 0;
    }

    private CompareBenchmark.Subject subject() throws Exception {
        Path file = Path.of(net);
        if (net.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--net " + net + " does not exist");
            }
            Network network = OnnxImport.read(file, Kernels.best()).network();
            return new CompareBenchmark.Subject(file.getFileName().toString(), network, Files.readAllBytes(file));
        }
        Network network = Network.build(net);
        network.initialise(seedOption.value());
        boolean named = net.toUpperCase(Locale.ROOT).equals(net) || ReferenceNets.byName(net).isPresent();
        String label = named ? net : "custom net";
        return new CompareBenchmark.Subject(label + " (random weights, seed " + seedOption.value() + ")", network, OnnxExport.toModel(network).toByteArray());
    }

    private static CompareBenchmark.Peer peer(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "onnxruntime", "ort" -> CompareBenchmark.Peer.ONNXRUNTIME;
            case "opencv", "opencv-dnn" -> CompareBenchmark.Peer.OPENCV;
            default -> throw new IllegalArgumentException("--peers: unknown peer \"" + name + "\"; choose onnxruntime, opencv");
        };
    }
}
