package dev.framestream.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import dev.framestream.bench.FmaPeak;
import dev.framestream.bench.peers.TimedRuns;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.VectorWidth;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.engine.training.OptimizerKind;
import dev.framestream.engine.training.Training;

/**
 * Times training steps per batch size on random inputs and labels: warm-up, then steps for a
 * fixed wall time, each timed alone; all batch sizes in rotation for several rounds, the median
 * round printed with the range (the machine varies between runs). The step is the whole of it:
 * forward, loss, backward, gradient reduction and the optimiser's update.
 */
final class TrainBenchmark {
    private final String net;
    private final OptimizerKind optimizer;
    private final int threads;
    private final double seconds;
    private final double warmupSeconds;
    private final int rounds;
    private final long seed;

    TrainBenchmark(String net, OptimizerKind optimizer, int threads, double seconds, double warmupSeconds, int rounds, long seed) {
        this.net = net;
        this.optimizer = optimizer;
        this.threads = threads;
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
        this.rounds = rounds;
        this.seed = seed;
    }

    private record Row(int batch, double examplesPerSecond, double p50Millis, double p99Millis, double gflops) {
    }

    void run(List<Integer> batches, PrintStream out) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            Network network = Network.build(net);
            network.initialise(seed);
            Training training = new Training(network, pool, optimizer.create(0.9, 0), 0, 0, seed);
            out.printf("framestream bench train: %s, %.2f MFLOP/example per step, %s, %d thread%s, JDK %s, %d-bit vectors%n",
                    net.length() <= 10 ? net : "custom net", training.flopsPerExample() / 1e6, optimizer, threads,
                    threads == 1 ? "" : "s", Runtime.version().feature(), VectorWidth.BITS);
            out.printf("  spec: %s%n", network.spec());
            out.printf("  method: %.1f s warm-up, then %.1f s of timed steps per batch size (each step timed alone), %d round%s in rotation;%n"
                    + "          the median round is shown with the range; a step = forward + loss + backward + update%n",
                    warmupSeconds, seconds, rounds, rounds == 1 ? "" : "s");
            List<List<Row>> byBatch = new ArrayList<>();
            batches.forEach(b -> byBatch.add(new ArrayList<>()));
            double[] peaks = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                peaks[round] = FmaPeak.gflops(pool, 500_000_000L);
                for (int i = 0; i < batches.size(); i++) {
                    byBatch.get(i).add(measure(training, network, batches.get(i), round == 0 ? warmupSeconds : Math.min(warmupSeconds, 0.3)));
                }
            }
            Arrays.sort(peaks);
            double peak = peaks[rounds / 2];
            out.printf("  machine fp32 FMA peak: %.1f GFLOP/s on %d thread%s (median of %d)%n%n", peak, threads, threads == 1 ? "" : "s", rounds);
            out.printf("%6s %12s %17s %9s %9s %9s %8s%n", "batch", "examples/s", "range", "p50 ms", "p99 ms", "GFLOP/s", "% peak");
            for (List<Row> measured : byBatch) {
                measured.sort(Comparator.comparingDouble(Row::examplesPerSecond));
                Row row = measured.get(measured.size() / 2);
                out.printf("%6d %12.1f %17s %9.3f %9.3f %9.1f %7.1f%%%n", row.batch(), row.examplesPerSecond(),
                        String.format("%.0f-%.0f", measured.get(0).examplesPerSecond(), measured.get(measured.size() - 1).examplesPerSecond()),
                        row.p50Millis(), row.p99Millis(), row.gflops(), 100 * row.gflops() / peak);
            }
        }
    }

    /** Examples/s of whole steps at one batch size, after {@code warmupSeconds}: what other benchmarks compare against. */
    double examplesPerSecond(int batch) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            Network network = Network.build(net);
            network.initialise(seed);
            Training training = new Training(network, pool, optimizer.create(0.9, 0), 0, 0, seed);
            return measure(training, network, batch, warmupSeconds).examplesPerSecond();
        }
    }

    private Row measure(Training training, Network network, int batch, double warmup) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor input = Tensor.zeros(batch, network.inputShape());
        for (int i = 0; i < input.data().length; i++) {
            input.data()[i] = (float) random.nextDouble();
        }
        int[] labels = random.ints(batch, 0, training.classes()).toArray();
        // A small rate keeps random-label training from drifting to huge weights over a long run.
        double rate = 1e-4;
        TimedRuns runs = TimedRuns.measure(() -> training.step(input, labels, rate), warmup, seconds, 3);
        double examples = (double) runs.count() * batch;
        return new Row(batch, examples / runs.seconds(), runs.percentileMillis(0.5), runs.percentileMillis(0.99),
                examples * training.flopsPerExample() / runs.seconds() / 1e9);
    }
}
