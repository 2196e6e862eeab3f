package dev.framestream.engine.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.framestream.engine.Network;
import dev.framestream.engine.layers.JoinLayer;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.layers.Softmax;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.BufferPlan;
import dev.framestream.engine.tensor.Tensor;

/**
 * Trains a {@link Network} in place, one mini-batch per {@link #step}: forward, the fused
 * {@link SoftmaxCrossEntropy} loss (the mean over the batch), backward, optional clipping of the
 * gradient's global norm, and the {@link Optimizer}'s update. Not thread-safe: one caller; the
 * network must not serve inference while a step runs.
 *
 * <p>A network that ends in softmax is trained on its logits (the softmax layer's input), the
 * softmax being part of the loss; a network that does not is trained as if its output were logits.
 */
public final class Training {
    /*
     * Data parallelism and determinism. The batch is cut into as many contiguous chunks as the
     * pool has threads; each chunk runs forward and backward through every layer on one thread,
     * with its own gradient buffers (a chunk, not a thread, owns them: whichever thread runs
     * chunk c writes chunk c's buffers). The buffers are then summed chunk 0 + 1 + ... in that
     * order, in parallel over ranges of values. Every float operation thus happens in the same
     * order on every run, so a seeded run ends with the same weights bit for bit for a given
     * thread count (not across thread counts: the chunks and so the summation order differ).
     *
     * Activation gradients go through buffers of their own per chunk, reused once a value's
     * gradient is spent (a BufferPlan over the backward pass: in a chain, two buffers in turn).
     * Chunks cannot share them: layers address example e at e times their own size, and chunks
     * reach different layers at different times, so one chunk's range of one layer overlaps
     * another's range of the next. A value read by several layers gets the sum of their
     * gradients: the first writes its buffer, the others write a spare one that is added in.
     */
    private static final int RANGE = 1 << 15;

    private final Network network;
    private final WorkerPool pool;
    private final Optimizer optimizer;
    private final double clipNorm;
    private final double labelSmoothing;
    private final long seed;
    private final List<Layer> layers;
    private final List<Parameter> parameters = new ArrayList<>();
    private final int classes;
    private final int chunks;
    private final float[][][] chunkGradients;      // [chunk][parameter] -> values
    private final float[][][][] layerGradients;    // [chunk][layer] -> the layer's parameters' gradients
    private final int[] rangeParameter;
    private final int[] rangeStart;
    private final double[] rangeSquares;
    private final double[] chunkLoss;
    private final int[] chunkCorrect;
    private long steps;
    private int capacity;
    private final BufferPlan gradientPlan;
    private final float[][][] joined;              // [layer] -> a join's inputs, null for other layers
    private final boolean[][] gradientStarted;     // [chunk][value]
    private final boolean valuesReadTwice;         // some value has several readers: a spare gradient buffer is needed
    private float[][] activations;
    private float[][][] gradientBuffers;   // [chunk][slot of gradientPlan]
    private float[][] spareGradients;      // [chunk]: a second reader's gradient before it is added in
    private float[][] scratch;

    /**
     * @param clipNorm the largest global L2 norm of a step's gradient; larger ones are scaled down
     *                 to it. 0 turns clipping off.
     * @param labelSmoothing the share of the target spread evenly over all classes (0 = plain
     *                 cross-entropy, 0.1 is usual); the reported loss is the smoothed one
     * @param seed     seeds the dropout masks; the same seed, data and thread count give the same weights
     */
    public Training(Network network, WorkerPool pool, Optimizer optimizer, double clipNorm, double labelSmoothing, long seed) {
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("the gradient clipping norm must be >= 0 (0 = off), got " + clipNorm);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
        this.network = network;
        this.pool = pool;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
        this.seed = seed;
        List<Layer> all = network.layers();
        boolean endsInSoftmax = !all.isEmpty() && all.get(all.size() - 1) instanceof Softmax;
        this.layers = endsInSoftmax ? all.subList(0, all.size() - 1) : all;
        this.classes = layers.isEmpty() ? network.inputShape().size() : layers.get(layers.size() - 1).outputShape().size();
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 outputs to train, " + network.spec() + " has " + classes);
        }
        layers.forEach(layer -> parameters.addAll(layer.parameters()));
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("the network " + network.spec() + " has nothing to train");
        }
        optimizer.attach(parameters);
        this.chunks = pool.threads();
        this.chunkGradients = new float[chunks][parameters.size()][];
        this.layerGradients = new float[chunks][layers.size()][][];
        for (int c = 0; c < chunks; c++) {
            for (int p = 0; p < parameters.size(); p++) {
                chunkGradients[c][p] = new float[parameters.get(p).size()];
            }
            int p = 0;
            for (int l = 0; l < layers.size(); l++) {
                int count = layers.get(l).parameters().size();
                layerGradients[c][l] = Arrays.copyOfRange(chunkGradients[c], p, p + count);
                p += count;
            }
        }
        List<int[]> ranges = new ArrayList<>();
        for (int p = 0; p < parameters.size(); p++) {
            for (int start = 0; start < parameters.get(p).size(); start += RANGE) {
                ranges.add(new int[] {p, start});
            }
        }
        this.rangeParameter = ranges.stream().mapToInt(r -> r[0]).toArray();
        this.rangeStart = ranges.stream().mapToInt(r -> r[1]).toArray();
        this.rangeSquares = new double[ranges.size()];
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

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * Floating-point operations of one example's step, a multiply-add counting two: the forward
     * pass, and backward the same again for the weight gradients and once more for the input
     * gradients of every layer but the first (which needs none).
     */
    public long flopsPerExample() {
        long flops = 0;
        for (int l = 0; l < layers.size(); l++) {
            long forward = layers.get(l).flopsPerExample();
            flops += forward * (l == 0 ? 2 : 3);
        }
        return flops;
    }

    /** The number of classes the loss expects labels for: the network's output size. */
    public int classes() {
        return classes;
    }

    /**
     * One step on a mini-batch: the network's weights move by the optimiser's update of the mean
     * loss's gradient at {@code learningRate}.
     *
     * @param labels the true class of each example, {@code 0 <= label < classes()}
     * @throws IllegalStateException if the loss or gradient is not finite (the weights are left as
     *                               they were): the learning rate is too high for this data
     */
    public StepResult step(Tensor input, int[] labels, double learningRate) {
        return step(input, labels, learningRate, null);
    }

    /**
     * {@link #step(Tensor, int[], double)} that also writes each example's predicted class, as the
     * weights were before the update, into {@code predicted} (when not null): the "test, then
     * train" view an online learner scores itself by, at no extra cost.
     */
    public StepResult step(Tensor input, int[] labels, double learningRate, int[] predicted) {
        check(input, labels);
        if (predicted != null && predicted.length < input.batch()) {
            throw new IllegalArgumentException("room for " + predicted.length + " predictions but the batch has " + input.batch());
        }
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
        layers.forEach(Layer::prepareBackward);
        long stepSeed = stepSeed(seed, steps);
        int used = Math.min(chunks, batch);
        pool.parallelFor(used, (chunk, worker) -> runChunk(chunk, (int) ((long) batch * chunk / used),
                (int) ((long) batch * (chunk + 1) / used), batch, labels, predicted, stepSeed));
        activations[0] = null;
        for (float[][] inputs : joined) {
            if (inputs != null) {
                Arrays.fill(inputs, null);
            }
        }
        double loss = 0;
        int correct = 0;
        for (int c = 0; c < used; c++) {
            loss += chunkLoss[c];
            correct += chunkCorrect[c];
        }
        pool.parallelFor(rangeSquares.length, (range, worker) -> reduce(range, used));
        double squares = 0;
        for (double s : rangeSquares) {
            squares += s;
        }
        double norm = Math.sqrt(squares);
        loss /= batch;
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            throw new IllegalStateException(String.format("training diverged at step %d: the loss is %s and the gradient norm %s;"
                    + " lower the learning rate (now %.3g) or clip the gradient norm", steps + 1, loss, norm, learningRate));
        }
        float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / norm) : 1f;
        float rate = (float) learningRate;
        optimizer.beginStep();
        pool.parallelFor(rangeSquares.length, (range, worker) -> {
            int p = rangeParameter[range];
            Parameter parameter = parameters.get(p);
            optimizer.update(p, parameter, chunkGradients[0][p], rangeStart[range],
                    Math.min(parameter.size(), rangeStart[range] + RANGE), rate, scale);
        });
        layers.forEach(Layer::parametersChanged);
        steps++;
        return new StepResult(batch, loss, correct, norm);
    }

    /** The seed of step {@code step}'s dropout masks: distinct per step, fixed by the run's seed. */
    static long stepSeed(long seed, long step) {
        return seed + 0x9E3779B97F4A7C15L * (step + 1);
    }

    private void check(Tensor input, int[] labels) {
        if (!input.shape().equals(network.inputShape())) {
            throw new IllegalArgumentException("training input " + input.shape() + " does not match the network input "
                    + network.inputShape() + " (" + network.spec() + ")");
        }
        if (labels.length < input.batch() || input.batch() == 0) {
            throw new IllegalArgumentException("a training batch needs at least one example and a label for each; got "
                    + input.batch() + " examples and " + labels.length + " labels");
        }
        for (int e = 0; e < input.batch(); e++) {
            if (labels[e] < 0 || labels[e] >= classes) {
                throw new IllegalArgumentException("example " + e + " has label " + labels[e] + " but the network has classes 0 to "
                        + (classes - 1));
            }
        }
    }

    /** Chunk {@code chunk}: examples {@code [from, to)} forward, through the loss, and backward. */
    private void runChunk(int chunk, int from, int to, int batch, int[] labels, int[] predicted, long stepSeed) {
        for (float[] gradient : chunkGradients[chunk]) {
            Arrays.fill(gradient, 0f);
        }
        float[] work = scratch[chunk];
        int last = layers.size();
        for (int l = 0; l < last; l++) {
            Layer layer = layers.get(l);
            if (layer instanceof JoinLayer join) {
                for (int e = from; e < to; e++) {
                    join.forward(joined[l], activations[l + 1], e);
                }
            } else {
                layer.trainingForward(activations[network.inputs(l).get(0)], activations[l + 1], from, to, stepSeed, work);
            }
        }
        float[] logits = activations[last];
        float[][] gradients = gradientBuffers[chunk];
        float[] lossGradient = gradients[gradientPlan.slotOf(last)];
        double loss = 0;
        int correct = 0;
        for (int e = from; e < to; e++) {
            loss += SoftmaxCrossEntropy.lossAndGradient(logits, e * classes, classes, labels[e], labelSmoothing, 1f / batch,
                    lossGradient, e * classes);
            int guess = SoftmaxCrossEntropy.argmax(logits, e * classes, classes);
            correct += guess == labels[e] ? 1 : 0;
            if (predicted != null) {
                predicted[e] = guess;
            }
        }
        chunkLoss[chunk] = loss;
        chunkCorrect[chunk] = correct;
        boolean[] started = gradientStarted[chunk];
        Arrays.fill(started, false);
        float[] spare = spareGradients[chunk];
        for (int l = last - 1; l >= 0; l--) {
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

    /** Sums range {@code range} of every chunk's gradient into chunk 0's, in chunk order, and its squares. */
    private void reduce(int range, int used) {
        int p = rangeParameter[range];
        int start = rangeStart[range];
        int end = Math.min(parameters.get(p).size(), start + RANGE);
        float[] total = chunkGradients[0][p];
        for (int c = 1; c < used; c++) {
            float[] part = chunkGradients[c][p];
            for (int i = start; i < end; i++) {
                total[i] += part[i];
            }
        }
        double squares = 0;
        for (int i = start; i < end; i++) {
            squares += (double) total[i] * total[i];
        }
        rangeSquares[range] = squares;
    }

    /** The summed gradient of parameter {@code name} from the last step (before clipping): for tests and diagnostics. */
    public float[] gradient(String name) {
        for (int p = 0; p < parameters.size(); p++) {
            if (parameters.get(p).name().equals(name)) {
                return chunkGradients[0][p].clone();
            }
        }
        throw new IllegalArgumentException("no trained parameter named \"" + name + "\"");
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
