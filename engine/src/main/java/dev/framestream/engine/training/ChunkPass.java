package dev.framestream.engine.training;

import java.util.Arrays;
import java.util.List;

import dev.framestream.engine.Network;
import dev.framestream.engine.layers.JoinLayer;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.parallel.ParallelTask;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.BufferPlan;
import dev.framestream.engine.tensor.Tensor;

/**
 * The per-chunk half of a {@link Training} step: the activations and gradient buffers, and each
 * chunk's forward pass, loss and backward pass through them.
 *
 * <p>Activation gradients go through buffers of their own per chunk, reused once a value's
 * gradient is spent (a BufferPlan over the backward pass: in a chain, two buffers in turn).
 * Chunks cannot share them: layers address example e at e times their own size, and chunks reach
 * different layers at different times, so one chunk's range of one layer overlaps another's
 * range of the next. A value read by several layers gets the sum of their gradients: the first
 * writes its buffer, the others write a spare one that is added in.
 */
final class ChunkPass implements NormalisationPhases.ChunkSteps {
    private final Network network;
    private final List<Layer> layers;
    private final int classes;
    private final double labelSmoothing;
    private final int chunks;
    private final ParameterGradients parameterGradients;
    private final float[][][][] layerGradients;    // [chunk][layer] -> the layer's parameters' gradients
    private final NormalisationPhases normalisation;
    private final BufferPlan gradientPlan;
    private final float[][][] joined;              // [layer] -> a join's inputs, null for other layers
    private final boolean[][] gradientStarted;     // [chunk][value]
    private final boolean valuesReadTwice;         // some value has several readers: a spare gradient buffer is needed
    private final double[] chunkLoss;
    private final int[] chunkCorrect;
    private int capacity;
    private float[][] activations;
    private float[][][] gradientBuffers;   // [chunk][slot of gradientPlan]
    private float[][] spareGradients;      // [chunk]: a second reader's gradient before it is added in
    private float[][] scratch;
    // The running step's values, set by run for the chunks' bodies; fields rather than an object per step.
    private int stepBatch;
    private int stepUsed;
    private int[] stepLabels;
    private int[] stepPredicted;
    private long stepSeed;
    // The body of a step without batch norms, built once: a lambda made per step is an object per step.
    private final ParallelTask wholeChunk = (chunk, worker) -> wholeChunk(chunk);

    /** One step's batch as the chunks share it. */

    ChunkPass(Network network, List<Layer> layers, int classes, double labelSmoothing, int chunks, ParameterGradients parameterGradients) {
        this.network = network;
        this.layers = layers;
        this.classes = classes;
        this.labelSmoothing = labelSmoothing;
        this.chunks = chunks;
        this.parameterGradients = parameterGradients;
        this.layerGradients = parameterGradients.byLayer();
        this.normalisation = new NormalisationPhases(layers, chunks);
        this.chunkLoss = new double[chunks];
        this.chunkCorrect = new int[chunks];
        this.gradientPlan = GradientPlan.of(network, layers);
        this.joined = new float[layers.size()][][];
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) instanceof JoinLayer) {
                joined[l] = new float[network.inputs(l).size()][];
            }
        }
        this.gradientStarted = new boolean[chunks][layers.size() + 1];
        int reads = 0;
        for (int l = 0; l < layers.size(); l++) {
            reads += network.inputs(l).size();
        }
        this.valuesReadTwice = reads > layers.size();
    }

    /**
     * Forward, loss and backward of a batch over {@code used} chunks: in one parallel pass per
     * chunk, or, with batch normalisations, in phases that stop at each one for the whole batch's
     * sums. Leaves the loss and the correct guesses per chunk, and the parameters' gradients.
     */
    void run(WorkerPool pool, Tensor input, int used, int[] labels, int[] predicted, long seed) {
        int batch = input.batch();
        if (batch > capacity) {
            allocate(batch);
        }
        activations[0] = input.data();
        for (int l = 0; l < layers.size(); l++) {
            if (joined[l] != null) {
                for (int k = 0; k < joined[l].length; k++) {
                    joined[l][k] = activations[network.inputs(l).get(k)];
                }
            }
        }
        this.stepBatch = batch;
        this.stepUsed = used;
        this.stepLabels = labels;
        this.stepPredicted = predicted;
        this.stepSeed = seed;
        try {
            if (normalisation.count() == 0) {
                pool.parallelFor(used, wholeChunk);
            } else {
                normalisation.run(pool, used, batch, layers.size(), this, layerGradients);
            }
        } finally {
            this.stepLabels = null;
            this.stepPredicted = null;
            activations[0] = null;
            for (float[][] inputs : joined) {
                if (inputs != null) {
                    Arrays.fill(inputs, null);
                }
            }
        }
    }

    /** Chunk {@code chunk}'s forward, loss and backward through every layer: a step without batch norms. */
    private void wholeChunk(int chunk) {
        forward(chunk, 0, layers.size());
        loss(chunk);
        backward(chunk, layers.size(), 0);
    }

    /** After a step that went through: the batch norms' running averages take in its statistics. */
    void stepTaken() {
        normalisation.stepTaken();
    }

    /** The summed loss of the first {@code used} chunks' examples. */
    double summedLoss(int used) {
        double loss = 0;
        for (int c = 0; c < used; c++) {
            loss += chunkLoss[c];
        }
        return loss;
    }

    /** How many of the first {@code used} chunks' examples the network guessed right. */
    int correct(int used) {
        int correct = 0;
        for (int c = 0; c < used; c++) {
            correct += chunkCorrect[c];
        }
        return correct;
    }

    @Override
    public int from(int chunk) {
        return (int) ((long) stepBatch * chunk / stepUsed);
    }

    @Override
    public int to(int chunk) {
        return (int) ((long) stepBatch * (chunk + 1) / stepUsed);
    }

    @Override
    public float[] input(int layer) {
        return activations[network.inputs(layer).get(0)];
    }

    @Override
    public float[] outputGradient(int chunk, int layer) {
        return gradientBuffers[chunk][gradientPlan.slotOf(layer + 1)];
    }

    /** Layers {@code [first, end)} forward on chunk {@code chunk}'s examples; the first call of a step clears its gradients. */
    @Override
    public void forward(int chunk, int first, int end) {
        if (first == 0) {
            parameterGradients.clear(chunk);
        }
        int from = from(chunk);
        int to = to(chunk);
        float[] work = scratch[chunk];
        for (int l = first; l < end; l++) {
            Layer layer = layers.get(l);
            if (layer instanceof JoinLayer join) {
                for (int e = from; e < to; e++) {
                    join.forward(joined[l], activations[l + 1], e);
                }
            } else {
                layer.trainingForward(activations[network.inputs(l).get(0)], activations[l + 1], from, to, stepSeed, work);
            }
        }
    }

    /** The loss of chunk {@code chunk}'s examples and its gradient, where the backward pass starts. */
    @Override
    public void loss(int chunk) {
        int last = layers.size();
        float[] logits = activations[last];
        float[] lossGradient = gradientBuffers[chunk][gradientPlan.slotOf(last)];
        double loss = 0;
        int correct = 0;
        for (int e = from(chunk); e < to(chunk); e++) {
            loss += SoftmaxCrossEntropy.lossAndGradient(logits, e * classes, classes, stepLabels[e], labelSmoothing, 1f / stepBatch,
                    lossGradient, e * classes);
            int guess = SoftmaxCrossEntropy.argmax(logits, e * classes, classes);
            correct += guess == stepLabels[e] ? 1 : 0;
            if (stepPredicted != null) {
                stepPredicted[e] = guess;
            }
        }
        chunkLoss[chunk] = loss;
        chunkCorrect[chunk] = correct;
        Arrays.fill(gradientStarted[chunk], false);
    }

    /** Layers {@code high - 1} down to {@code low} backward on chunk {@code chunk}'s examples. */
    @Override
    public void backward(int chunk, int high, int low) {
        int from = from(chunk);
        int to = to(chunk);
        float[] work = scratch[chunk];
        float[][] gradients = gradientBuffers[chunk];
        boolean[] started = gradientStarted[chunk];
        float[] spare = spareGradients[chunk];
        for (int l = high - 1; l >= low; l--) {
            Layer layer = layers.get(l);
            float[] gradOut = gradients[gradientPlan.slotOf(l + 1)];
            List<Integer> inputs = network.inputs(l);
            for (int k = 0; k < inputs.size(); k++) {
                int value = inputs.get(k);
                boolean adds = value > 0 && started[value];
                float[] gradIn = value == 0 ? null : adds ? spare : gradients[gradientPlan.slotOf(value)];
                if (layer instanceof JoinLayer join) {
                    if (gradIn != null) {
                        join.backward(k, gradOut, gradIn, from, to);
                    }
                } else {
                    layer.backward(activations[value], activations[l + 1], gradOut, gradIn, from, to,
                            layerGradients[chunk][l], stepSeed, work);
                }
                if (adds) {
                    float[] sum = gradients[gradientPlan.slotOf(value)];
                    int size = layers.get(value - 1).outputShape().size();
                    for (int i = from * size; i < to * size; i++) {
                        sum[i] += spare[i];
                    }
                }
                if (value > 0) {
                    started[value] = true;
                }
            }
        }
    }

    private void allocate(int maxBatch) {
        float[][] buffers = new float[layers.size() + 1][];
        int largest = 1;
        int scratchFloats = 0;
        int perChunk = (maxBatch + chunks - 1) / chunks;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            buffers[l + 1] = new float[Math.multiplyExact(maxBatch, layer.outputShape().size())];
            largest = Math.max(largest, layer.outputShape().size());
            scratchFloats = Math.max(scratchFloats, layer.trainingScratchFloats(perChunk));
        }
        this.activations = buffers;
        this.gradientBuffers = new float[chunks][gradientPlan.slots()][];
        this.spareGradients = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            // A chunk's buffers reach only as far as its last example, at most maxBatch.
            int end = Math.min(maxBatch, perChunk * (c + 1));
            for (int slot = 0; slot < gradientPlan.slots(); slot++) {
                gradientBuffers[c][slot] = new float[Math.multiplyExact(end, gradientPlan.slotFloats(slot))];
            }
            spareGradients[c] = valuesReadTwice ? new float[Math.multiplyExact(end, largest)] : null;
        }
        this.scratch = new float[chunks][scratchFloats];
        this.capacity = maxBatch;
    }
}
