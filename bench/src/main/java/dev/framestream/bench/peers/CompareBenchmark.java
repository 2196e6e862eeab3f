package dev.framestream.bench.peers;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.VectorWidth;

/**
 * The same network and weights through our engine and its peers, one after another in the same
 * process with the same warm-up and timing method ({@link TimedRuns}), per thread count and batch
 * size. Every case runs all runtimes in rotation for several rounds and keeps each one's median
 * round. The engine's ratio to a peer is the median of the per-round ratios: the VM's speed drifts
 * within seconds, and the two runs of one round sample the same stretch of it, while
 * two independently chosen median rounds need not. Before timing, each peer's output for the
 * batch is compared with the engine's (max |difference|).
 */
public final class CompareBenchmark {
    /** Beyond this the runtimes do not compute the same function; float32 round-off stays far below. */
    public static final double AGREEMENT = 1e-4;

    /** Which peers to run beside the engine. */
    public enum Peer {
        ONNXRUNTIME,
        OPENCV
    }

    /** The network to compare: the engine's copy, and the ONNX bytes the peers load. */
    public record Subject(String label, Network network, byte[] onnx) {
    }

    /**
     * One runtime's figures in one case. For a peer, {@code ratio} is the engine's frames/s over the
     * peer's: the median over rounds, each round's pair measured back to back, with the lowest and
     * highest round; for the engine all three are 1.
     */
    public record Row(int threads, int batch, String runtime, double framesPerSecond, double p50Millis, double p99Millis,
                      double maxDifference, double ratio, double ratioLow, double ratioHigh) {
    }

    private final Subject subject;
    private final List<Peer> peers;
    private final double seconds;
    private final double warmupSeconds;
    private final int rounds;
    private final long seed;

    public CompareBenchmark(Subject subject, List<Peer> peers, double seconds, double warmupSeconds, int rounds, long seed) {
        this.subject = subject;
        this.peers = List.copyOf(peers);
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
        this.rounds = rounds;
        this.seed = seed;
    }

    /** Runs every case and prints the table; returns the rows. */
    public List<Row> run(List<Integer> threadCounts, List<Integer> batches, PrintStream out) throws Exception {
        Network network = subject.network();
        out.printf("framestream bench compare: %s, %.2f MFLOP/frame, JDK %s, %d-bit vectors, %d core%s%n", subject.label(),
                network.flopsPerExample() / 1e6, java.lang.Runtime.version().feature(), VectorWidth.BITS,
                java.lang.Runtime.getRuntime().availableProcessors(), java.lang.Runtime.getRuntime().availableProcessors() == 1 ? "" : "s");
        out.printf("  spec: %s%n", network.spec());
        out.printf("  method: per case, every runtime %.1f s warm-up then %.1f s of timed forward passes (each batch timed alone),"
                + "%n          %d round%s in rotation, the median round shown; engine ÷ it = median of the rounds' ratios (range);"
                + "%n          max |Δ| = largest difference from the engine's output%n",
                warmupSeconds, seconds, rounds, rounds == 1 ? "" : "s");
        out.printf("%n%7s %6s  %-22s %11s %9s %9s %11s %12s %13s%n", "threads", "batch", "runtime", "frames/s", "p50 ms", "p99 ms",
                "max |Δ|", "engine ÷ it", "range");
        List<Row> rows = new ArrayList<>();
        for (int threads : threadCounts) {
            List<Runtime> runtimes = open(threads, out);
            try {
                for (int batch : batches) {
                    List<Row> caseRows = measure(runtimes, threads, batch);
                    print(caseRows, out);
                    rows.addAll(caseRows);
                }
            } finally {
                for (Runtime runtime : runtimes) {
                    runtime.close();
                }
            }
        }
        return rows;
    }

    /** The engine and the peers; OpenCV DNN is left out, with a line saying why, where it cannot load the model. */
    private List<Runtime> open(int threads, PrintStream out) throws Exception {
        Network network = subject.network();
        List<Runtime> runtimes = new ArrayList<>();
        runtimes.add(new EngineRuntime(network, threads));
        for (Peer peer : peers) {
            switch (peer) {
                case ONNXRUNTIME -> runtimes.add(new OnnxRuntimeRuntime(subject.onnx(), network.inputShape(), network.outputShape().size(),
                        threads));
                case OPENCV -> {
                    try {
                        runtimes.add(new OpenCvDnnRuntime(subject.onnx(), network.inputShape(), threads));
                    } catch (RuntimeException e) {
                        out.printf("  opencv-dnn cannot load this model, left out: %s%n", e.getMessage());
                    }
                }
            }
        }
        return runtimes;
    }

    private List<Row> measure(List<Runtime> runtimes, int threads, int batch) throws Exception {
        float[] input = randomInput(batch);
        float[] reference = null;
        double[] differences = new double[runtimes.size()];
        for (int r = 0; r < runtimes.size(); r++) {
            Runtime runtime = runtimes.get(r);
            runtime.prepare(input, batch);
            runtime.run();
            float[] output = runtime.output();
            if (r == 0) {
                reference = output;
            } else {
                differences[r] = maxDifference(reference, output, runtime.name());
            }
        }
        List<List<TimedRuns>> measured = new ArrayList<>();
        runtimes.forEach(r -> measured.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int r = 0; r < runtimes.size(); r++) {
                Runtime runtime = runtimes.get(r);   // prepared above: each keeps its own input between rounds
                measured.get(r).add(TimedRuns.measure(() -> {
                    try {
                        runtime.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(runtime.name() + " failed: " + e.getMessage(), e);
                    }
                }, round == 0 ? warmupSeconds : Math.min(warmupSeconds, 0.2), seconds, 3));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < runtimes.size(); r++) {
            List<TimedRuns> byRound = new ArrayList<>(measured.get(r));
            byRound.sort(Comparator.comparingDouble(TimedRuns::runsPerSecond));
            TimedRuns median = byRound.get(byRound.size() / 2);
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ratios[round] = measured.get(0).get(round).runsPerSecond() / measured.get(r).get(round).runsPerSecond();
            }
            Arrays.sort(ratios);
            rows.add(new Row(threads, batch, runtimes.get(r).name(), median.runsPerSecond() * batch,
                    median.percentileMillis(0.5), median.percentileMillis(0.99), r == 0 ? 0 : differences[r],
                    ratios[rounds / 2], ratios[0], ratios[rounds - 1]));
        }
        return rows;
    }

    private static void print(List<Row> rows, PrintStream out) {
        for (Row row : rows) {
            boolean engine = row == rows.get(0);
            out.printf(Locale.ROOT, "%7d %6d  %-22s %11.1f %9.3f %9.3f %11s %12s %13s%n", row.threads(), row.batch(), row.runtime(),
                    row.framesPerSecond(), row.p50Millis(), row.p99Millis(),
                    engine ? "" : String.format(Locale.ROOT, "%.1e", row.maxDifference()),
                    engine ? "" : String.format(Locale.ROOT, "%.2fx", row.ratio()),
                    engine ? "" : String.format(Locale.ROOT, "%.2f-%.2f", row.ratioLow(), row.ratioHigh()));
        }
    }

    /** Largest absolute difference; outputs of different lengths are a broken peer, not a number. */
    static double maxDifference(float[] expected, float[] actual, String runtime) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(runtime + " gave " + actual.length + " output values, the engine " + expected.length
                    + ": the ONNX model does not describe the same network");
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs(expected[i] - actual[i]);
            worst = Double.isNaN(difference) ? Double.POSITIVE_INFINITY : Math.max(worst, difference);
        }
        return worst;
    }

    private float[] randomInput(int batch) {
        SplittableRandom random = new SplittableRandom(seed + batch);
        float[] input = new float[batch * subject.network().inputShape().size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextDouble(-1, 1);
        }
        return input;
    }
}
