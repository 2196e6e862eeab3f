package dev.framestream.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import dev.framestream.bench.FmaPeak;
import dev.framestream.bench.peers.TimedRuns;
import dev.framestream.engine.Inference;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.VectorWidth;
import dev.framestream.engine.layers.Conv2D;
import dev.framestream.engine.layers.FusedConvolution;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ReferenceNets;
import dev.framestream.engine.tensor.Tensor;

/**
 * Times a network's forward pass per batch size and prints a table. Method: warm-up, then timed
 * forward passes for a fixed wall time, each batch timed on its own with {@code System.nanoTime};
 * then a step-by-step profiled run (fused steps as the forward pass runs them) for the conv figure. All batch sizes (and all variants: the
 * same net built with other kernels or convolution methods) are measured in rotation for several
 * rounds, and the round with the median frames/s is printed with the range of all rounds, so
 * variants are compared under the same machine conditions. The FMA peak is measured before every
 * round, on the same pool, and its median is the reference for the share of peak.
 */
final class EngineBenchmark {
    /** The network built one way, named by its kernel set and convolution method. */
    record Variant(String name, Network network) {
    }

    private final List<Variant> variants;
    /** The first variant's network: every variant has its spec, shapes and FLOPs. */
    private final Network reference;
    private final String label;
    private final int threads;
    private final double seconds;
    private final double warmupSeconds;
    private final int rounds;
    private final long seed;

    EngineBenchmark(List<Variant> variants, String label, int threads, double seconds, double warmupSeconds, int rounds, long seed) {
        this.variants = List.copyOf(variants);
        this.reference = variants.get(0).network();
        this.label = label;
        this.threads = threads;
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
        this.rounds = rounds;
        this.seed = seed;
    }

    /** One batch size's figures. */
    record Row(Variant variant, int batch, double framesPerSecond, double p50Millis, double p99Millis, double gflops,
               double convGflops, List<Layer> steps, long[] layerNanos, long profiledBatches, long bufferFloats) {
    }

    void run(List<Integer> batches, boolean perLayer, PrintStream out) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            FmaPeak.gflops(pool, 300_000_000L);
            out.printf("framestream bench engine: %s, %.2f MFLOP/frame, %d thread%s, JDK %s, %d-bit vectors%n",
                    label.toUpperCase(Locale.ROOT).equals(label) || ReferenceNets.byName(label).isPresent() ? label : "custom net",
                    reference.flopsPerExample() / 1e6, threads, threads == 1 ? "" : "s", Runtime.version().feature(), VectorWidth.BITS);
            out.printf("  spec: %s%n", reference.spec());
            for (Variant variant : variants) {
                out.printf("  %s: kernels %s; convolutions %s%n", variant.name(), variant.network().kernels().name(),
                        variant.network().layers().stream().filter(l -> l instanceof Conv2D)
                                .map(l -> l.name() + " " + ((Conv2D) l).method()).collect(Collectors.joining(", ")));
            }
            out.printf("  method: %.1f s warm-up, then %.1f s of timed forward passes per batch size (each batch timed alone),%n"
                    + "          %d round%s over all batch sizes and variants in rotation: the median round is shown, with the range of frames/s;%n"
                    + "          conv GFLOP/s from a step-by-step profiled run; peak = Vector API FMA loop on all threads, this run%n",
                    warmupSeconds, seconds, rounds, rounds == 1 ? "" : "s");
            List<List<Row>> byCase = new ArrayList<>();
            for (int i = 0; i < batches.size() * variants.size(); i++) {
                byCase.add(new ArrayList<>());
            }
            double[] peaks = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                peaks[round] = FmaPeak.gflops(pool, 500_000_000L);
                for (int i = 0; i < batches.size(); i++) {
                    for (int v = 0; v < variants.size(); v++) {
                        byCase.get(i * variants.size() + v).add(measure(pool, variants.get(v), batches.get(i),
                                round == 0 ? warmupSeconds : Math.min(warmupSeconds, 0.3)));
                    }
                }
            }
            Arrays.sort(peaks);
            double peak = peaks[rounds / 2];
            out.printf("  machine fp32 FMA peak: %.1f GFLOP/s on %d thread%s (median of %d, range %.1f-%.1f)%n%n",
                    peak, threads, threads == 1 ? "" : "s", rounds, peaks[0], peaks[rounds - 1]);
            out.printf("%6s %s%11s %17s %9s %9s %9s %13s %8s%n", "batch", variantColumn("variant"),
                    "frames/s", "range", "p50 ms", "p99 ms", "GFLOP/s", "conv GFLOP/s", "% peak");
            for (List<Row> measured : byCase) {
                measured.sort(Comparator.comparingDouble(Row::framesPerSecond));
                Row row = measured.get(measured.size() / 2);
                String range = String.format("%.0f-%.0f", measured.get(0).framesPerSecond(),
                        measured.get(measured.size() - 1).framesPerSecond());
                out.printf("%6d %s%11.1f %17s %9.3f %9.3f %9.1f %13.1f %7.1f%%%n", row.batch(),
                        variantColumn(row.variant().name()), row.framesPerSecond(), range,
                        row.p50Millis(), row.p99Millis(), row.gflops(), row.convGflops(), 100 * row.gflops() / peak);
                if (perLayer) {
                    printLayers(row, out);
                }
            }
            long weights = reference.parameters().values().stream().mapToLong(p -> p.size()).sum();
            long values = reference.inputShape().size() + reference.layers().stream().mapToLong(l -> l.outputShape().size()).sum();
            out.printf("%n  memory: weights %.1f MB; activation buffers and per-thread workspaces %s%n", weights * 4 / 1e6,
                    byCase.stream().map(measured -> measured.get(0)).filter(row -> row.variant() == variants.get(0))
                            .map(row -> String.format("%.1f MB at batch %d (every value at once: %.1f MB)", row.bufferFloats() * 4 / 1e6,
                                    row.batch(), values * row.batch() * 4 / 1e6))
                            .collect(Collectors.joining(", ")));
        }
    }

    /** The variant column's cell, padded to the longest name; no column when there is one variant. */
    private String variantColumn(String text) {
        if (variants.size() == 1) {
            return "";
        }
        int width = variants.stream().mapToInt(v -> v.name().length()).max().orElseThrow();
        return String.format("%-" + width + "s ", text);
    }

    private Row measure(WorkerPool pool, Variant variant, int batch, double warmup) {
        Network network = variant.network();
        Inference inference = network.newInference(pool, batch);
        Tensor input = randomInput(batch);
        TimedRuns runs = TimedRuns.measure(() -> inference.forward(input), warmup, seconds, 5);

        List<Layer> layers = inference.steps();
        long[] layerNanos = new long[layers.size()];
        int profiled = Math.max(3, Math.min(runs.count(), 200) / 2);
        for (int i = 0; i < profiled; i++) {
            inference.profile(input, layerNanos);
        }
        long convNanos = 0;
        long convFlops = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) instanceof Conv2D || layers.get(l) instanceof FusedConvolution) {
                convNanos += layerNanos[l];
                convFlops += layers.get(l).flopsPerExample();
            }
        }
        double frames = (double) runs.count() * batch;
        return new Row(variant, batch, frames / runs.seconds(), runs.percentileMillis(0.50), runs.percentileMillis(0.99),
                frames * network.flopsPerExample() / runs.seconds() / 1e9,
                convNanos == 0 ? 0 : (double) convFlops * batch * profiled / convNanos,
                layers, layerNanos, profiled, inference.bufferFloats());
    }

    private void printLayers(Row row, PrintStream out) {
        long total = Arrays.stream(row.layerNanos()).sum();
        List<Layer> layers = row.steps();
        // Fused steps (conv2+relu2+maxpool2) have long names and specs: size the columns to them.
        String columns = "         %-" + layers.stream().mapToInt(l -> l.name().length()).max().orElse(1) + "s %-"
                + layers.stream().mapToInt(l -> l.spec().length()).max().orElse(1) + "s %8.3f ms %5.1f%% %s%n";
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            double millis = row.layerNanos()[l] / 1e6 / row.profiledBatches();
            double gflops = layer.flopsPerExample() == 0 ? 0
                    : (double) layer.flopsPerExample() * row.batch() / (millis * 1e6);
            out.printf(columns, layer.name(), layer.spec(), millis,
                    100.0 * row.layerNanos()[l] / total, gflops == 0 ? "" : String.format("%6.1f GFLOP/s", gflops));
        }
    }

    private Tensor randomInput(int batch) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor input = Tensor.zeros(batch, reference.inputShape());
        float[] data = input.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble();
        }
        return input;
    }
}
