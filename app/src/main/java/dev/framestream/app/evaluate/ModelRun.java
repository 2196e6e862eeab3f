package dev.framestream.app.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.classifier.inference.TopK;
import dev.framestream.engine.Inference;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.media.PixelFormat;
import dev.framestream.model.InputFit;
import dev.framestream.model.Model;
import dev.framestream.schemas.LabelProbability;

/**
 * One model over the replay, batch by batch, the way the classifier serves it: the model's own
 * preprocessing (in parallel on the pool), one forward pass per batch, the top-k labels. Each
 * batch is timed from pixels to labels.
 */
final class ModelRun {
    private final Model model;
    private final WorkerPool pool;
    private final Inference inference;
    private final float[] input;
    private final int topK;
    private final boolean logits;
    private final List<Long> batchNanos = new ArrayList<>();
    private final Map<String, Long> refused = new TreeMap<>();
    private long frames;

    ModelRun(Model model, WorkerPool pool, int maxBatch, int topK) {
        this.model = model;
        this.pool = pool;
        this.inference = model.network().newInference(pool, maxBatch);
        this.input = new float[maxBatch * model.network().inputShape().size()];
        this.topK = topK;
        this.logits = !ServingModel.endsInSoftmax(model);
    }

    /**
     * Forward passes of full batches for a while before any is timed, so every model is measured
     * with the JIT warmed up, the first as much as the second.
     */
    void warmUp(java.time.Duration time) {
        int batch = input.length / model.network().inputShape().size();
        long end = System.nanoTime() + time.toNanos();
        do {
            inference.forward(new Tensor(batch, model.network().inputShape(), input));
        } while (System.nanoTime() < end);
    }

    /**
     * The top-k labels of each sample, most probable first; null for a sample this model cannot
     * take (a grey frame for a colour model: making up colour would show it pictures it never saw).
     */
    List<List<LabelProbability>> classify(List<Sample> batch) {
        List<Sample> fitting = new ArrayList<>(batch.size());
        for (Sample sample : batch) {
            if (fits(sample)) {
                fitting.add(sample);
            } else {
                refused.merge("grey frame for a colour model", 1L, Long::sum);
            }
        }
        List<List<LabelProbability>> results = new ArrayList<>(batch.size());
        if (fitting.isEmpty()) {
            batch.forEach(s -> results.add(null));
            return results;
        }
        long start = System.nanoTime();
        int size = model.network().inputShape().size();
        pool.parallelFor(fitting.size(), (i, worker) -> model.preprocessing().apply(fitting.get(i).image(), input, i * size));
        float[] out = inference.forward(new Tensor(fitting.size(), model.network().inputShape(), input)).data();
        int classes = model.classNames().size();
        List<List<LabelProbability>> tops = new ArrayList<>(fitting.size());
        for (int i = 0; i < fitting.size(); i++) {
            tops.add(TopK.of(out, i * classes, classes, model.classNames(), topK, logits));
        }
        batchNanos.add(System.nanoTime() - start);
        frames += fitting.size();
        int next = 0;
        for (Sample sample : batch) {
            results.add(fits(sample) ? tops.get(next++) : null);
        }
        return results;
    }

    private boolean fits(Sample sample) {
        return !InputFit.greyForColour(sample.image().format() == PixelFormat.GRAY8, model.preprocessing());
    }

    Model model() {
        return model;
    }

    Map<String, Long> refused() {
        return refused;
    }

    /** Frames/s and batch latency, from pixels to labels. */
    Scores.Timing timing(int maxBatch) {
        long[] sorted = batchNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long total = java.util.Arrays.stream(sorted).sum();
        return new Scores.Timing(maxBatch, sorted.length, total == 0 ? 0 : frames / (total / 1e9), percentile(sorted, 0.5),
                percentile(sorted, 0.9), percentile(sorted, 0.99));
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))] / 1e6;
    }
}
