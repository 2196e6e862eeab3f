package dev.framestream.engine.training;

import java.util.ArrayList;
import java.util.List;

import dev.framestream.engine.Network;
import dev.framestream.engine.layers.BatchStatistics;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.layers.Softmax;
import dev.framestream.engine.parallel.ParallelTask;
import dev.framestream.engine.parallel.WorkerPool;
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
     * Batch normalisations need the whole batch's sums: the chunks stop at each one (see
     * NormalisationPhases) and their sums are added in chunk order too. ChunkPass holds the
     * chunks' buffers and passes.
     */
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
    private final ParameterGradients parameterGradients;
    private final ChunkPass chunkPass;
    private long steps;
    // The step's parallel bodies, built once (a lambda made per step is an object per step), and
    // the values they read, set before each parallelFor, which publishes them to the pool's threads.
    private final ParallelTask sumRange = (range, worker) -> sumRange(range);
    private final ParallelTask updateRange = (range, worker) -> updateRange(range);
    private int stepUsed;
    private float stepRate;
    private float stepScale;

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
        this.parameterGradients = new ParameterGradients(layers, parameters, chunks);
        this.chunkPass = new ChunkPass(network, layers, classes, labelSmoothing, chunks, parameterGradients);
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

    /**
     * The fewest examples a step takes: 2 when a batch normalisation sees one value per channel
     * per example (after a global average or an fc), whose variance needs two; else 1.
     */
    public int minimumBatch() {
        return layers.stream().filter(l -> l instanceof BatchStatistics).mapToInt(l -> ((BatchStatistics) l).minimumBatch())
                .max().orElse(1);
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
        layers.forEach(Layer::prepareBackward);
        int used = Math.min(chunks, batch);
        chunkPass.run(pool, input, used, labels, predicted, stepSeed(seed, steps));
        double loss = chunkPass.summedLoss(used);
        int correct = chunkPass.correct(used);
        stepUsed = used;
        pool.parallelFor(parameterGradients.ranges(), sumRange);
        double norm = parameterGradients.norm();
        loss /= batch;
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            throw new IllegalStateException(String.format("training diverged at step %d: the loss is %s and the gradient norm %s;"
                    + " lower the learning rate (now %.3g) or clip the gradient norm", steps + 1, loss, norm, learningRate));
        }
        stepScale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / norm) : 1f;
        stepRate = (float) learningRate;
        optimizer.beginStep();
        pool.parallelFor(parameterGradients.ranges(), updateRange);
        chunkPass.stepTaken();
        layers.forEach(Layer::parametersChanged);
        steps++;
        return new StepResult(batch, loss, correct, norm);
    }

    private void sumRange(int range) {
        parameterGradients.sum(range, stepUsed);
    }

    private void updateRange(int range) {
        int p = parameterGradients.parameter(range);
        optimizer.update(p, parameters.get(p), parameterGradients.total(p), parameterGradients.start(range),
                parameterGradients.end(range), stepRate, stepScale);
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

    /** The summed gradient of parameter {@code name} from the last step (before clipping): for tests and diagnostics. */
    public float[] gradient(String name) {
        for (int p = 0; p < parameters.size(); p++) {
            if (parameters.get(p).name().equals(name)) {
                return parameterGradients.total(p).clone();
            }
        }
        throw new IllegalArgumentException("no trained parameter named \"" + name + "\"");
    }
}
