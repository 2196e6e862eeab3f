package dev.framestream.bench.peers;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.VectorWidth;
import dev.framestream.onnx.OnnxExport;

/**
 * {@link CompareBenchmark} over every network of a {@link BenchmarkSuite}, then one table of the
 * engine against each peer per case and the geometric mean of engine ÷ ONNX Runtime. ONNX Runtime
 * is the reference: a case where it disagrees with the engine fails the suite. OpenCV DNN is a
 * second opinion: its disagreements are flagged (it computes ResNets wrongly at batch sizes above
 * 1) and a model it cannot load leaves it out of that case.
 */
public final class SuiteComparison {
    /** What the suite aims at: every case at least 1.0x ONNX Runtime, and this geometric mean. */
    public static final double TARGET_GEOMETRIC_MEAN = 1.25;

    /** One case: a net at a thread count and batch size, the engine's row and each peer's that ran. */
    public record Case(String net, CompareBenchmark.Row engine, CompareBenchmark.Row onnxRuntime, CompareBenchmark.Row openCv) {

        boolean onnxRuntimeAgrees() {
            return onnxRuntime == null || onnxRuntime.maxDifference() <= CompareBenchmark.AGREEMENT;
        }
    }

    private final List<CompareBenchmark.Peer> peers;
    private final double seconds;
    private final double warmupSeconds;
    private final int rounds;
    private final long seed;

    public SuiteComparison(List<CompareBenchmark.Peer> peers, double seconds, double warmupSeconds, int rounds, long seed) {
        this.peers = List.copyOf(peers);
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
        this.rounds = rounds;
        this.seed = seed;
    }

    /**
     * Runs every entry at {@code threadCounts} and its own batch sizes, or {@code batches} for all
     * when not null; prints each net's table and then the summary.
     */
    public List<Case> run(List<BenchmarkSuite.Entry> entries, List<Integer> threadCounts, List<Integer> batches, PrintStream out)
            throws Exception {
        List<Case> cases = new ArrayList<>();
        for (BenchmarkSuite.Entry entry : entries) {
            Network network = Network.build(entry.net());
            network.initialise(seed);
            CompareBenchmark.Subject subject = new CompareBenchmark.Subject(entry.label() + " (random weights, seed " + seed + ")",
                    network, OnnxExport.toModel(network).toByteArray());
            List<CompareBenchmark.Row> rows = new CompareBenchmark(subject, peers, seconds, warmupSeconds, rounds, seed)
                    .run(threadCounts, batches != null ? batches : entry.batches(), out);
            out.println();
            cases.addAll(cases(entry.label(), rows));
        }
        printSummary(cases, out);
        return cases;
    }

    /** Whether ONNX Runtime computed what the engine did in every case. */
    public static boolean allAgree(List<Case> cases) {
        return cases.stream().allMatch(Case::onnxRuntimeAgrees);
    }

    /** The geometric mean of engine ÷ ONNX Runtime over the cases it ran in; NaN if none. */
    public static double geometricMean(List<Case> cases) {
        double logs = 0;
        int count = 0;
        for (Case c : cases) {
            if (c.onnxRuntime() != null) {
                logs += Math.log(c.onnxRuntime().ratio());
                count++;
            }
        }
        return count == 0 ? Double.NaN : Math.exp(logs / count);
    }

    private static List<Case> cases(String net, List<CompareBenchmark.Row> rows) {
        List<Case> cases = new ArrayList<>();
        CompareBenchmark.Row engine = null;
        CompareBenchmark.Row onnxRuntime = null;
        CompareBenchmark.Row openCv = null;
        for (CompareBenchmark.Row row : rows) {
            if (row.runtime().equals(EngineRuntime.NAME)) {
                if (engine != null) {
                    cases.add(new Case(net, engine, onnxRuntime, openCv));
                }
                engine = row;
                onnxRuntime = null;
                openCv = null;
            } else if (row.runtime().startsWith(OnnxRuntimeRuntime.NAME)) {
                onnxRuntime = row;
            } else if (row.runtime().startsWith(OpenCvDnnRuntime.NAME)) {
                openCv = row;
            }
        }
        if (engine != null) {
            cases.add(new Case(net, engine, onnxRuntime, openCv));
        }
        return cases;
    }

    private static void printSummary(List<Case> cases, PrintStream out) {
        out.printf("suite: the engine (%d-bit vectors) against its peers, median rounds (engine ÷ peer: median of the rounds' ratios)%n%n",
                VectorWidth.BITS);
        out.printf("%-24s %7s %6s %12s %12s %11s %12s %11s%n", "net", "threads", "batch", "engine f/s", "onnxruntime",
                "engine ÷ it", "opencv-dnn", "engine ÷ it");
        int below = 0;
        for (Case c : cases) {
            CompareBenchmark.Row ort = c.onnxRuntime();
            CompareBenchmark.Row cv = c.openCv();
            if (ort != null && ort.ratio() < 1.0) {
                below++;
            }
            out.printf(Locale.ROOT, "%-24s %7d %6d %12.1f %12s %11s %12s %11s%n", c.net(), c.engine().threads(), c.engine().batch(),
                    c.engine().framesPerSecond(), ort == null ? "-" : String.format(Locale.ROOT, "%.1f", ort.framesPerSecond()),
                    ort == null ? "-" : ratio(ort), cv == null ? "-" : String.format(Locale.ROOT, "%.1f", cv.framesPerSecond()),
                    cv == null ? "-" : ratio(cv));
        }
        out.printf(Locale.ROOT, "%ngeometric mean of engine ÷ onnxruntime over %d cases: %.2fx (target %.2fx);"
                + " %d case%s below 1.0x%n", cases.stream().filter(c -> c.onnxRuntime() != null).count(), geometricMean(cases),
                TARGET_GEOMETRIC_MEAN, below, below == 1 ? "" : "s");
        for (Case c : cases) {
            if (!c.onnxRuntimeAgrees()) {
                out.printf(Locale.ROOT, "DISAGREES: %s, %d threads, batch %d: onnxruntime differs from the engine by %.2e > %.0e%n",
                        c.net(), c.engine().threads(), c.engine().batch(), c.onnxRuntime().maxDifference(), CompareBenchmark.AGREEMENT);
            }
            if (c.openCv() != null && c.openCv().maxDifference() > CompareBenchmark.AGREEMENT) {
                out.printf(Locale.ROOT, "flagged: %s, %d threads, batch %d: opencv-dnn differs by %.2e (onnxruntime agrees with the engine"
                        + " to %.1e)%n", c.net(), c.engine().threads(), c.engine().batch(), c.openCv().maxDifference(),
                        c.onnxRuntime() == null ? Double.NaN : c.onnxRuntime().maxDifference());
            }
        }
    }

    private static String ratio(CompareBenchmark.Row row) {
        String flag = row.maxDifference() > CompareBenchmark.AGREEMENT ? " !" : "";
        return String.format(Locale.ROOT, "%.2fx%s", row.ratio(), flag);
    }
}
