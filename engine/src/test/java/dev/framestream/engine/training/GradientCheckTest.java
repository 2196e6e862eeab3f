package dev.framestream.engine.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.framestream.engine.Float64Network;
import dev.framestream.engine.Network;
import dev.framestream.engine.Numerics;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.BatchNorm;
import dev.framestream.engine.layers.Dropout;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;

/**
 * Every layer's backward pass, and a whole network's through {@link Training}, against central
 * finite differences of the same function evaluated in float64 ({@link Float64Network}).
 *
 * <p>The engine's gradient is float32; the differences perturb a float32 weight by about 1e-5 and
 * divide by the exact change the rounding made, so they carry no float32 error. An element is
 * compared by |analytic - numeric| / max(|analytic|, |numeric|, 1 % of the tensor's largest), so
 * elements that cancel to near zero are judged on the tensor's scale; the limit is 1e-3. A
 * tensor the loss does not depend on (a bias before a batch normalisation, which cancels it) has
 * a backprop gradient of sums that cancel: it must be 0 within float32 rounding, which for a
 * sum of a few dozen float32 terms of order 1 (2^-24 relative each, in whatever order the
 * kernels' lanes add them) is some 1e-6; the bound is 1e-5, far below any gradient checked here.
 */
class GradientCheckTest {
    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-3;
    private static final double ZERO_BY_CONSTRUCTION = 1e-9;
    private static final double FLOAT32_ROUNDING = 1e-5;
    private static final int BATCH = 3;

    static Stream<String> layerSpecs() {
        return Stream.of(
                "in 2x6x5 | conv 3 3x3 pad 1",
                "in 3x7x6 | conv 4 2x3 stride 2 pad 1",
                "in 1x8x8 | conv 2 5x5",
                "in 7x6x6 | conv 17 3x3 pad 1",
                "in 4x8x8 | conv 6 3x3 pad 1",
                "in 3x8x9 | conv 5 3x3 pad 2",
                "in 4x6x5 | conv 8 3x3 pad 1 groups 4",
                "in 3x7x7 | conv 3 3x3 stride 2 pad 1 groups 3",
                "in 4x5x6 | conv 6 3x3 groups 2",
                "in 3x4x2 | fc 7",
                "in 37 | fc 19",
                "in 3x4x5 | relu",
                "in 2x6x7 | maxpool 2",
                "in 2x6x8 | maxpool 2",
                "in 2x7x7 | maxpool 3 stride 2",
                "in 2x6x6 | avgpool 2",
                "in 2x5x5 | avgpool 3 stride 1",
                "in 2x7x7 | maxpool 3 stride 2 pad 1",
                "in 2x8x8 | maxpool 3 stride 2 ceil",
                "in 2x6x6 | avgpool 3 stride 2 pad 1 ceil",
                "in 2x5x5 | avgpool 2 ceil",
                "in 3x4x5 | globalavgpool",
                "in 3x4x5 | clip -0.5 0.5",
                "in 3x4x5 | leakyrelu 0.1",
                "in 3x4x5 | sigmoid",
                "in 2x3x3 | flatten",
                "in 30 | dropout 0.4",
                "in 6 | softmax");
    }

    /** Loss {@code sum of R · y} for a fixed random R, so dL/dy = R reaches every output. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layerSpecs")
    void layerBackwardMatchesFiniteDifferences(String spec) {
        Network net = network(spec);
        Layer layer = net.layers().get(0);
        SplittableRandom random = new SplittableRandom(spec.hashCode());
        float[] x = Numerics.random(random, BATCH * layer.inputShape().size());
        float[] weightsOfOutput = Numerics.random(random, BATCH * layer.outputShape().size());
        long seed = 11;
        float[] scratch = new float[layer.trainingScratchFloats(BATCH)];
        float[] out = new float[weightsOfOutput.length];
        layer.prepareBackward();
        layer.trainingForward(x, out, 0, BATCH, seed, scratch);
        float[][] gradients = layer.parameters().stream().map(p -> new float[p.size()]).toArray(float[][]::new);
        float[] gradIn = new float[x.length];
        Arrays.fill(gradIn, Float.NaN);
        layer.backward(x, out, weightsOfOutput, gradIn, 0, BATCH, gradients, seed, scratch);

        Float64Network.DropoutMasks masks = dropoutMasks(layer, seed);
        double[] input = Numerics.widen(x, 0, x.length);
        ToDoubleFunction<double[]> loss = in -> {
            int inSize = layer.inputShape().size();
            int outSize = layer.outputShape().size();
            double sum = 0;
            for (int e = 0; e < BATCH; e++) {
                double[] y = Float64Network.forward(net, 1, Arrays.copyOfRange(in, e * inSize, (e + 1) * inSize), e, masks);
                for (int i = 0; i < outSize; i++) {
                    sum += weightsOfOutput[e * outSize + i] * y[i];
                }
            }
            return sum;
        };
        for (int p = 0; p < gradients.length; p++) {
            Parameter parameter = layer.parameters().get(p);
            assertGradient(spec + ": " + parameter.name(), gradients[p], numericGradient(parameter, () -> loss.applyAsDouble(input)));
        }
        assertGradient(spec + ": input", gradIn, numericInputGradient(input, loss));
    }

    /**
     * Batch normalisation through the phases {@link dev.framestream.engine.layers.BatchStatistics}
     * describes, with the batch cut into two chunks as two threads would: the loss {@code sum of
     * R · y} over the whole batch, normalised by the batch's own statistics.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in 3x4x5 | batchnorm", "in 6 | batchnorm eps 0.001", "in 2x1x3 | batchnorm momentum 0.5"})
    void batchNormBackwardMatchesFiniteDifferences(String spec) {
        Network net = network(spec);
        BatchNorm layer = (BatchNorm) net.layers().get(0);
        SplittableRandom random = new SplittableRandom(spec.hashCode());
        int size = layer.inputShape().size();
        float[] x = Numerics.random(random, BATCH * size);
        float[] weightsOfOutput = Numerics.random(random, BATCH * size);
        int[][] chunks = {{0, 1}, {1, BATCH}};
        double[][] sums = new double[chunks.length][layer.sumsLength()];
        double[] total = new double[layer.sumsLength()];
        for (int c = 0; c < chunks.length; c++) {
            layer.addForwardSums(x, chunks[c][0], chunks[c][1], sums[c]);
            for (int i = 0; i < total.length; i++) {
                total[i] += sums[c][i];
            }
        }
        layer.useBatchStatistics(total, BATCH);
        float[] out = new float[x.length];
        float[][][] chunkGradients = new float[chunks.length][2][layer.inputShape().channels()];
        float[][] gradients = new float[2][layer.inputShape().channels()];
        for (int[] chunk : chunks) {
            layer.trainingForward(x, out, chunk[0], chunk[1], 0, new float[0]);
        }
        for (int c = 0; c < chunks.length; c++) {
            layer.addParameterGradients(x, weightsOfOutput, chunks[c][0], chunks[c][1], chunkGradients[c]);
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < gradients[p].length; i++) {
                    gradients[p][i] += chunkGradients[c][p][i];
                }
            }
        }
        layer.useBatchGradients(gradients, BATCH);
        float[] gradIn = new float[x.length];
        Arrays.fill(gradIn, Float.NaN);
        for (int[] chunk : chunks) {
            layer.backward(x, out, weightsOfOutput, gradIn, chunk[0], chunk[1], null, 0, new float[0]);
        }

        ToDoubleFunction<double[]> loss = in -> {
            double[][] examples = new double[BATCH][];
            for (int e = 0; e < BATCH; e++) {
                examples[e] = Arrays.copyOfRange(in, e * size, (e + 1) * size);
            }
            double[][] y = Float64Network.forward(net, 1, examples, 0, null, true);
            double sum = 0;
            for (int e = 0; e < BATCH; e++) {
                for (int i = 0; i < size; i++) {
                    sum += weightsOfOutput[e * size + i] * y[e][i];
                }
            }
            return sum;
        };
        double[] input = Numerics.widen(x, 0, x.length);
        for (int p = 0; p < 2; p++) {
            Parameter parameter = layer.parameters().get(p);
            assertGradient(spec + ": " + parameter.name(), gradients[p], numericGradient(parameter, () -> loss.applyAsDouble(input)));
        }
        assertGradient(spec + ": input", gradIn, numericInputGradient(input, loss));
    }

    /**
     * A chain with conv, ReLU, both poolings, flatten, dropout and two dense layers; graphs with a
     * residual block, a concatenation of branches, a three-way sum reading the network's input and
     * one value twice; a chain of the other activations with padded pooling and a global average;
     * batch normalisations after convolutions, after a residual sum, after a dense layer, on the
     * input and last before the loss; MobileNetV2's inverted residual blocks (depthwise
     * convolutions, ReLU6); all with the fused loss, in one step on 2 threads.
     */
    static Stream<String> networkSpecs() {
        return Stream.of(
                "in 2x10x9 | conv 4 3x3 pad 1 | relu | maxpool 2 | conv 5 3x2 stride 2 pad 1 | relu"
                        + " | avgpool 2 stride 1 | flatten | dropout 0.3 | fc 7 | relu | fc 4 | softmax",
                "in 2x6x6 | conv 3 3x3 pad 1 | relu as a | conv 3 3x3 pad 1 | relu | conv 3 3x3 pad 1 | add a | relu as b"
                        + " | conv 2 1x1 as p | from b conv 3 3x3 pad 1 | relu as q | concat p q | maxpool 2 | flatten | fc 4 | softmax",
                "in 2x5x5 | conv 2 3x3 pad 1 as c | add c in c | relu as r | add r r | flatten | fc 4 | softmax",
                "in 2x6x6 | conv 3 3x3 pad 1 | batchnorm | relu as a | conv 3 3x3 pad 1 | batchnorm | add a | relu | globalavgpool"
                        + " | flatten | fc 6 | batchnorm eps 0.001 | fc 4 | softmax",
                "in 2x4x4 | batchnorm | conv 3 3x3 | batchnorm | flatten | fc 4 | softmax",
                "in 3x8x8 | conv 8 3x3 stride 2 pad 1 | batchnorm | relu6 | conv 8 3x3 pad 1 groups 8 | batchnorm | relu6"
                        + " | conv 4 1x1 | batchnorm as p | conv 8 1x1 | relu6 | conv 8 3x3 pad 1 groups 8 | relu6 | conv 4 1x1 | add p"
                        + " | globalavgpool | flatten | fc 4 | softmax",
                "in 3x9x9 | conv 4 3x3 stride 2 pad 1 | clip -0.2 0.2 | maxpool 3 stride 2 pad 1 ceil | conv 6 1x1 | leakyrelu 0.1"
                        + " | globalavgpool | flatten | fc 5 | sigmoid | fc 4 | softmax");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networkSpecs")
    void networkGradientMatchesFiniteDifferencesOfTheMeanCrossEntropy(String spec) {
        Network net = network(spec);
        SplittableRandom random = new SplittableRandom(99);
        int batch = 5;
        float[] x = Numerics.random(random, batch * net.inputShape().size());
        int[] labels = random.ints(batch, 0, 4).toArray();
        long seed = 5;
        StepResult result;
        try (WorkerPool pool = new WorkerPool(2)) {
            Training training = new Training(net, pool, new Sgd(0, false, 0), 0, 0, seed);
            // A zero learning rate leaves the weights where the gradient was taken.
            result = training.step(new Tensor(batch, net.inputShape(), x), labels, 0.0);
            Float64Network.DropoutMasks masks = dropoutMasks(net, Training.stepSeed(seed, 0));
            int size = net.inputShape().size();
            double[][] inputs = new double[batch][];
            for (int e = 0; e < batch; e++) {
                inputs[e] = Numerics.widen(x, e * size, size);
            }
            int logitsEnd = net.layers().size() - 1;
            java.util.function.DoubleSupplier loss = () -> {
                double[][] logits = Float64Network.forward(net, logitsEnd, inputs, 0, masks, true);
                double sum = 0;
                for (int e = 0; e < batch; e++) {
                    double[] z = logits[e];
                    double max = Arrays.stream(z).max().orElseThrow();
                    double logSumExp = max + Math.log(Arrays.stream(z).map(v -> Math.exp(v - max)).sum());
                    sum += logSumExp - z[labels[e]];
                }
                return sum / batch;
            };
            assertEquals(loss.getAsDouble(), result.loss(), 1e-5 * Math.abs(result.loss()), "the step's reported loss");
            for (Layer layer : net.layers()) {
                for (Parameter parameter : layer.parameters()) {
                    assertGradient(parameter.name(), training.gradient(parameter.name()), numericGradient(parameter, loss));
                }
            }
        }
    }

    @Test
    void smoothedCrossEntropyGradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(21);
        float[] logits = Numerics.random(random, 7);
        logits[3] = 30f;                                   // a confident wrong class
        double smoothing = 0.1;
        float[] grad = new float[7];
        double loss = SoftmaxCrossEntropy.lossAndGradient(logits, 0, 7, 5, smoothing, 1f, grad, 0);
        double[] numeric = new double[7];
        for (int i = 0; i < 7; i++) {
            double[] up = Numerics.widen(logits, 0, 7);
            double[] down = up.clone();
            up[i] += STEP;
            down[i] -= STEP;
            numeric[i] = (smoothedLoss(up, 5, smoothing) - smoothedLoss(down, 5, smoothing)) / (2 * STEP);
        }
        assertEquals(smoothedLoss(Numerics.widen(logits, 0, 7), 5, smoothing), loss, 1e-9);
        assertGradient("softmax cross-entropy with label smoothing 0.1", grad, numeric);
    }

    /** {@code -sum t_i log softmax(z)_i} with t the smoothed one-hot target, in float64. */
    private static double smoothedLoss(double[] z, int label, double smoothing) {
        double max = Arrays.stream(z).max().orElseThrow();
        double logSumExp = max + Math.log(Arrays.stream(z).map(v -> Math.exp(v - max)).sum());
        double loss = 0;
        for (int i = 0; i < z.length; i++) {
            double target = smoothing / z.length + (i == label ? 1 - smoothing : 0);
            loss -= target * (z[i] - logSumExp);
        }
        return loss;
    }

    private static Network network(String spec) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.best());
        net.initialise(3);
        SplittableRandom random = new SplittableRandom(4);
        for (Parameter parameter : net.parameters().values()) {
            if (parameter.dims().length == 1) {
                float[] values = Numerics.random(random, parameter.size());
                if (parameter.name().endsWith(".running_var")) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = 1f + values[i] / 2;       // a variance is positive
                    }
                }
                net.setWeights(parameter.name(), values);
            }
        }
        return net;
    }

    /** The masks the engine's dropout layers apply under {@code seed}, read off a forward pass of ones. */
    private static Float64Network.DropoutMasks dropoutMasks(Network net, long seed) {
        return (layer, example) -> dropoutMask(net.layers().get(layer), seed, example);
    }

    private static Float64Network.DropoutMasks dropoutMasks(Layer layer, long seed) {
        return (index, example) -> dropoutMask(layer, seed, example);
    }

    private static double[] dropoutMask(Layer layer, long seed, int example) {
        Shape shape = layer.inputShape();
        float[] ones = new float[(example + 1) * shape.size()];
        Arrays.fill(ones, 1f);
        float[] out = new float[ones.length];
        ((Dropout) layer).trainingForward(ones, out, example, example + 1, seed, new float[0]);
        return Numerics.widen(out, example * shape.size(), shape.size());
    }

    private static double[] numericGradient(Parameter parameter, java.util.function.DoubleSupplier loss) {
        float[] values = parameter.values();
        double[] numeric = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            float original = values[k];
            float up = (float) (original + STEP);
            float down = (float) (original - STEP);
            values[k] = up;
            double lossUp = loss.getAsDouble();
            values[k] = down;
            double lossDown = loss.getAsDouble();
            values[k] = original;
            numeric[k] = (lossUp - lossDown) / ((double) up - down);
        }
        return numeric;
    }

    private static double[] numericInputGradient(double[] input, ToDoubleFunction<double[]> loss) {
        double[] numeric = new double[input.length];
        for (int k = 0; k < input.length; k++) {
            double original = input[k];
            input[k] = original + STEP;
            double lossUp = loss.applyAsDouble(input);
            input[k] = original - STEP;
            double lossDown = loss.applyAsDouble(input);
            input[k] = original;
            numeric[k] = (lossUp - lossDown) / (2 * STEP);
        }
        return numeric;
    }

    private static void assertGradient(String what, float[] analytic, double[] numeric) {
        double scale = Arrays.stream(numeric).map(Math::abs).max().orElse(0);
        if (scale < ZERO_BY_CONSTRUCTION) {
            for (int i = 0; i < analytic.length; i++) {
                if (!(Math.abs(analytic[i]) <= FLOAT32_ROUNDING)) {
                    fail(String.format("%s: the loss does not depend on it (finite differences under %.0e), but element %d has"
                            + " gradient %s by backprop", what, ZERO_BY_CONSTRUCTION, i, analytic[i]));
                }
            }
            return;
        }
        double floor = Math.max(0.01 * scale, 1e-9);
        int worst = -1;
        double worstError = 0;
        for (int i = 0; i < numeric.length; i++) {
            double error = Math.abs(analytic[i] - numeric[i]) / Math.max(floor, Math.max(Math.abs(analytic[i]), Math.abs(numeric[i])));
            if (!(error <= worstError)) {
                worstError = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
                worst = i;
            }
        }
        if (worstError > TOLERANCE) {
            fail(String.format("%s: worst element %d of %d has gradient %s by backprop but %s by finite differences"
                    + " (relative error %.3g, limit %.0e)", what, worst, numeric.length, analytic[worst], numeric[worst], worstError, TOLERANCE));
        }
    }
}
