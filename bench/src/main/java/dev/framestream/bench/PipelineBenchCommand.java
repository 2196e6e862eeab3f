package dev.framestream.bench;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.framestream.cli.InputOption;
import dev.framestream.cli.StreamThreadsOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code framestream bench pipeline}: ingest → broker → classifier → results on an embedded broker,
 * with the engine alone measured in the same run.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {
                "Run the pipeline on an embedded broker in this process and print: the classifier draining a backlog of --backlog",
                "frames (sustained frames/s, and its ratio to the engine alone at --max-batch measured just before and just after),",
                "first on a cold JVM, then again (the classifier paused between backlogs) until the JIT compiler is nearly idle;",
                "then the steady rate: --steady pairs of 2 s slices, the classifier on a backlog then the engine alone, alternating;",
                "--cameras cameras at --fps each for --seconds (capture->classified and capture->readable latency p50/p99);",
                "and frames sent, classified, lost and repeated over the whole run.",
                "",
                "Example: framestream bench pipeline --net CAMERA --cameras 8 --fps 30",
                ""
        })
public final class PipelineBenchCommand implements Callable<Integer> {

    @Option(names = "--net", paramLabel = "NET", defaultValue = "${env:FRAMESTREAM_NET:-CAMERA}",
            description = "DIGITS, CAMERA, a named net (RESNET18, MOBILENETV2, SQUEEZENET11, RESNET8, LENET5, optionally with \"in CxHxW classes N\"), or an architecture spec in quotes; random weights (default: ${DEFAULT-VALUE}).")
    private String net;

    @Mixin
    private final InputOption input = new InputOption();

    @Option(names = "--cameras", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_CAMERAS:-8}",
            description = "Cameras in the paced part (default: ${DEFAULT-VALUE}).")
    private int cameras;

    @Option(names = "--fps", paramLabel = "FPS", defaultValue = "${env:FRAMESTREAM_FPS:-30}",
            description = "Frames per second per camera in the paced part (default: ${DEFAULT-VALUE}).")
    private double fps;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "${env:FRAMESTREAM_SECONDS:-20}",
            description = "Length of the paced part (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--backlog", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_BACKLOG:-6000}",
            description = "Frames per backlog in the unpaced warm-up: published while the classifier is paused, once per drain (default: ${DEFAULT-VALUE}).")
    private int backlog;

    @Option(names = "--drains", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_DRAINS:-12}",
            description = "At most this many backlogs are drained while the JIT compiler settles (default: ${DEFAULT-VALUE}).")
    private int drains;

    @Option(names = "--steady", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_STEADY:-8}",
            description = "Once the JIT has settled: N pairs of 2 s slices, the classifier on a backlog then the engine alone,"
                    + " alternating; the steady ratio is the classifier's frames/s over all its slices to the engine alone's (default: ${DEFAULT-VALUE}).")
    private int steady;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_MAX_BATCH:-32}",
            description = "The classifier's --max-batch, and the engine-alone batch (default: ${DEFAULT-VALUE}).")
    private int maxBatch;

    @Option(names = "--max-wait-ms", paramLabel = "MS", defaultValue = "${env:FRAMESTREAM_MAX_WAIT_MS:-10}",
            description = "The classifier's --max-wait-ms (default: ${DEFAULT-VALUE}).")
    private long maxWaitMs;

    @Option(names = "--commit-interval-ms", paramLabel = "MS", defaultValue = "${env:FRAMESTREAM_COMMIT_INTERVAL_MS:-50}",
            description = "The classifier's --commit-interval-ms (default: ${DEFAULT-VALUE}).")
    private long commitIntervalMs;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_PARTITIONS:-2}",
            description = "Partitions of the frame and result topics (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Mixin
    private final StreamThreadsOption streamThreads = new StreamThreadsOption();

    @Option(names = "--engine-threads", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_ENGINE_THREADS:-0}",
            description = "Engine pool threads, for the classifier and the engine alone; 0 = one per core (default: ${DEFAULT-VALUE}).")
    private int engineThreads;

    @Override
    public Integer call() throws Exception {
        net = input.applyTo(net);
        if (cameras < 1 || !(fps > 0) || backlog < 2 || !(seconds > 0) || drains < 1 || steady < 1) {
            throw new IllegalArgumentException("--cameras, --fps, --seconds, --drains and --steady must be positive and --backlog at least 2");
        }
        int engine = engineThreads == 0 ? Runtime.getRuntime().availableProcessors() : engineThreads;
        var settings = new PipelineBenchmark.Settings(net, cameras, fps, backlog, drains, steady, seconds, maxBatch, maxWaitMs, partitions, streamThreads.count(), engine,
                commitIntervalMs);
        System.out.printf("pipeline: %s, max-batch %d, max-wait %d ms, commit every %d ms, %d partitions, %d stream thread(s), %d engine threads;"
                + " everything in this process on %d cores%n", net, maxBatch, maxWaitMs, commitIntervalMs, partitions, streamThreads.count(), engine,
                Runtime.getRuntime().availableProcessors());
        PipelineBenchmark.Outcome o = new PipelineBenchmark(settings).run();
        List<PipelineBenchmark.Comparison> drains = o.drains();
        System.out.printf("unpaced: backlogs of %,d frames drained by one classifier, paused between them, each against the engine alone"
                + " (batches of --max-batch) measured just before and just after it%n", o.backlog());
        printDrain("cold JVM", 1, drains.getFirst(), o.backlog());
        if (drains.size() > 1) {
            printDrain("settled", drains.size(), drains.getLast(), o.backlog());
        }
        System.out.printf("  (JIT compiling per drain: %s%s)%n",
                drains.stream().map(d -> String.format("%.0f %%", 100 * d.drain().jitShare())).collect(Collectors.joining(" -> ")),
                drains.getLast().drain().jitShare() > PipelineBenchmark.STEADY_JIT_SHARE
                        ? String.format("; not yet under %.0f %% within --drains %d", 100 * PipelineBenchmark.STEADY_JIT_SHARE, drains.size()) : "");
        InterleavedSlices.Result steady = o.steady();
        double[] ratios = steady.pairRatios();
        System.out.printf("steady:   %d x %.0f s slices of the classifier on a backlog, alternating with %d of the engine alone:%n",
                steady.pairs(), steady.sliceSeconds(), steady.pairs());
        System.out.printf("          classifier %,.0f frames/s, engine alone %,.0f frames/s: %.0f %% of the engine alone"
                + " (slice by slice %.0f-%.0f %%, median %.0f %%); JIT compiling %.0f %%%n",
                steady.fps(), steady.engineFps(), 100 * steady.ratio(), 100 * ratios[0], 100 * ratios[ratios.length - 1],
                100 * median(ratios), 100 * steady.jitShare());
        System.out.printf("paced, %d cameras x %s fps for %.0f s: %,d frames (%.0f/s)%n", cameras, fps, o.pacedSeconds(), o.pacedSent(),
                o.pacedSent() / o.pacedSeconds());
        System.out.printf("  capture -> classified: p50 %d ms, p99 %d ms, max %d ms%n", o.toClassified().percentile(0.5),
                o.toClassified().percentile(0.99), o.toClassified().percentile(1));
        System.out.printf("  capture -> readable (read_committed): p50 %d ms, p99 %d ms, max %d ms%n", o.toReadable().percentile(0.5),
                o.toReadable().percentile(0.99), o.toReadable().percentile(1));
        System.out.printf("exactly once: %,d sent, %,d classified, %,d lost, %,d repeated%n", o.sent(), o.classified(),
                o.sent() - o.distinct(), o.classified() - o.distinct());
        return o.sent() == o.distinct() && o.classified() == o.distinct() ? 0 : 1;
    }

    private static void printDrain(String when, int number, PipelineBenchmark.Comparison c, long backlog) {
        PipelineBenchmark.Drain d = c.drain();
        System.out.printf("%-9s drain %2d: %,6.0f frames/s; engine alone %,.0f -> %,.0f, mean %,.0f: %3.0f %%"
                        + " | %.1f frames/batch, engine busy %.0f %%, preprocessing %.0f %%, JIT compiling %.0f %%%n",
                when.isEmpty() ? "" : when + ":", number, d.fps(), c.engineBefore(), c.engineAfter(), c.engineFps(), 100 * c.ratio(),
                (double) backlog / d.batches(), 100 * d.engineSeconds() / d.seconds(), 100 * d.preprocessSeconds() / d.seconds(),
                100 * d.jitShare());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
