package dev.framestream.engine.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.framestream.engine.layers.BatchStatistics;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.parallel.ParallelTask;
import dev.framestream.engine.parallel.WorkerPool;

/**
 * The layers of a training step that need sums over the whole batch ({@link BatchStatistics}),
 * and those sums: each chunk adds its own, and between phases they are added up in chunk order,
 * so a step stays deterministic for a given thread count.
 */
final class NormalisationPhases {
    private final int[] layers;
    private final BatchStatistics[] normalisers;
    private final double[][] sums;                 // [chunk]
    private final double[] total;
    private final float[][][] gradientTotals;      // [normaliser][parameter]
    // The loop bodies, built once: a lambda capturing a phase's values would be an object per phase and step.
    private final ParallelTask forwardPhase = (chunk, worker) -> forwardPhase(chunk);
    private final ParallelTask backwardPhase = (chunk, worker) -> backwardPhase(chunk);
    // What the running step's bodies read, set before each parallelFor, which publishes them to the pool's threads.
    private ChunkSteps steps;
    private int last;
    private float[][][][] layerGradients;
    private int phase;

    NormalisationPhases(List<Layer> layers, int chunks) {
        List<Integer> at = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) instanceof BatchStatistics) {
                at.add(l);
            }
        }
        this.layers = at.stream().mapToInt(Integer::intValue).toArray();
        this.normalisers = at.stream().map(l -> (BatchStatistics) layers.get(l)).toArray(BatchStatistics[]::new);
        int longest = Arrays.stream(normalisers).mapToInt(BatchStatistics::sumsLength).max().orElse(0);
        this.sums = new double[chunks][longest];
        this.total = new double[longest];
        this.gradientTotals = at.stream().map(l -> layers.get(l).parameters().stream().map(p -> new float[p.size()])
                .toArray(float[][]::new)).toArray(float[][][]::new);
    }

    /** A step's work on one chunk of the batch, as {@link Training} does it. */
    interface ChunkSteps {
        /** Layers {@code [first, end)} forward. */
        void forward(int chunk, int first, int end);

        /** The loss and its gradient, after the last layer. */
        void loss(int chunk);

        /** Layers {@code high - 1} down to {@code low} backward. */
        void backward(int chunk, int high, int low);

        /** The values layer {@code layer} reads, the whole batch. */
        float[] input(int layer);

        /** Chunk {@code chunk}'s gradient of layer {@code layer}'s output. */
        float[] outputGradient(int chunk, int layer);

        int from(int chunk);

        int to(int chunk);
    }

    /**
     * A step over {@code used} chunks of {@code batch} examples through layers {@code [0, last)}:
     * forward to each normaliser, its sums, forward from it to the next; the loss; backward down to
     * each normaliser, its parameters' gradients, backward from it to the one before.
     *
     * @param layerGradients {@code [chunk][layer]}: each chunk's gradients of each layer's parameters
     */
    void run(WorkerPool pool, int used, int batch, int last, ChunkSteps steps, float[][][][] layerGradients) {
        this.steps = steps;
        this.last = last;
        this.layerGradients = layerGradients;
        int phases = layers.length;
        for (int k = 0; k < phases; k++) {
            phase = k;
            pool.parallelFor(used, forwardPhase);
            useForwardSums(k, used, batch);
        }
        for (int k = phases; k >= 0; k--) {
            phase = k;
            pool.parallelFor(used, backwardPhase);
            if (k > 0) {
                useGradients(k - 1, layerGradients, used, batch);
            }
        }
        this.steps = null;
        this.layerGradients = null;
    }

    /** One chunk of forward phase {@link #phase}: forward to normaliser {@code phase}, and its sums. */
    private void forwardPhase(int chunk) {
        int start = phase == 0 ? 0 : layers[phase - 1];
        int end = layers[phase];
        steps.forward(chunk, start, end);
        Arrays.fill(sums[chunk], 0);
        normalisers[phase].addForwardSums(steps.input(end), steps.from(chunk), steps.to(chunk), sums[chunk]);
    }

    /** One chunk of backward phase {@link #phase}: (after the loss, for the last) backward to normaliser {@code phase - 1}, and its gradients. */
    private void backwardPhase(int chunk) {
        int phases = layers.length;
        int high = phase == phases ? last : layers[phase] + 1;
        int low = phase == 0 ? 0 : layers[phase - 1] + 1;
        if (phase == phases) {
            steps.forward(chunk, phases == 0 ? 0 : layers[phases - 1], last);
            steps.loss(chunk);
        }
        steps.backward(chunk, high, low);
        if (phase > 0) {
            int norm = low - 1;
            normalisers[phase - 1].addParameterGradients(steps.input(norm), steps.outputGradient(chunk, norm),
                    steps.from(chunk), steps.to(chunk), layerGradients[chunk][norm]);
        }
    }

    /** The step went through: each normaliser's running averages take in its batch's statistics. */
    void stepTaken() {
        for (BatchStatistics normaliser : normalisers) {
            normaliser.stepTaken();
        }
    }

    int count() {
        return layers.length;
    }

    /** Adds the first {@code used} chunks' sums up and hands them to normaliser {@code k}. */
    private void useForwardSums(int k, int used, int batch) {
        Arrays.fill(total, 0);
        for (int c = 0; c < used; c++) {
            for (int i = 0; i < total.length; i++) {
                total[i] += sums[c][i];
            }
        }
        normalisers[k].useBatchStatistics(total, batch);
    }

    /** Adds the first {@code used} chunks' gradients of normaliser {@code k} up ({@code [chunk][layer][parameter]}) and hands them to it. */
    private void useGradients(int k, float[][][][] layerGradients, int used, int batch) {
        float[][] totals = gradientTotals[k];
        for (int p = 0; p < totals.length; p++) {
            Arrays.fill(totals[p], 0f);
            for (int c = 0; c < used; c++) {
                float[] part = layerGradients[c][layers[k]][p];
                for (int i = 0; i < part.length; i++) {
                    totals[p][i] += part[i];
                }
            }
        }
        normalisers[k].useBatchGradients(totals, batch);
    }
}
