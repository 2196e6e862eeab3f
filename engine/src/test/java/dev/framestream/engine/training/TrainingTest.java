package dev.framestream.engine.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.framestream.engine.Inference;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;

/** Training steps end to end: learning a generated task, determinism, clipping and bad input. */
class TrainingTest {
    private static final String BARS = "in 1x12x12 | conv 6 3x3 pad 1 | relu | maxpool 2 | flatten | dropout 0.2"
            + " | fc 16 | relu | fc 4 | softmax";
    private static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /** 12x12 images of a bar (horizontal, vertical, diagonal, anti-diagonal) at a random place, with noise. */
    record Bars(Tensor images, int[] labels) {
        static Bars generate(int count, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            Shape shape = new Shape(1, 12, 12);
            float[] pixels = new float[count * shape.size()];
            int[] labels = new int[count];
            for (int n = 0; n < count; n++) {
                int label = random.nextInt(4);
                labels[n] = label;
                int row = random.nextInt(3, 9);
                int col = random.nextInt(3, 9);
                for (int i = 0; i < shape.size(); i++) {
                    pixels[n * shape.size() + i] = (float) random.nextDouble(0, 0.4);
                }
                for (int t = -3; t <= 3; t++) {
                    int y = switch (label) {
                        case 0 -> row;
                        case 1, 2 -> row + t;
                        default -> row - t;
                    };
                    int x = label == 1 ? col : col + t;
                    pixels[n * shape.size() + y * 12 + x] = 1f;
                }
            }
            return new Bars(new Tensor(count, shape, pixels), labels);
        }

        Tensor batch(int from, int size) {
            int s = images.shape().size();
            return new Tensor(size, images.shape(), java.util.Arrays.copyOfRange(images.data(), from * s, (from + size) * s));
        }

        int[] labels(int from, int size) {
            return java.util.Arrays.copyOfRange(labels, from, from + size);
        }
    }

    @Test
    void learnsAGeneratedShapeTaskFarAboveChance() {
        Network net = Network.build(BARS);
        net.initialise(1);
        Learning learning = learn(net, 4096, 256, 16, 1);
        assertTrue(learning.lastLoss() < learning.firstLoss() / 4, "mean loss fell from " + learning.firstLoss() + " to only "
                + learning.lastLoss());
        assertTrue(learning.correct() >= 360, "held-out accuracy " + learning.correct() / 4.0 + " %, chance is 25 %");
    }

    /**
     * The small residual net, batch norms and all, learns the same task: its training statistics,
     * and at inference the running averages folded into its convolutions, classify held-out bars.
     */
    @Test
    void aResidualNetWithBatchNormLearnsTheTask() {
        Network net = Network.build(ArchitectureSpec.of("RESNET8 in 1x12x12 classes 4"), Kernels.best());
        net.initialise(2);
        Learning learning = learn(net, 2048, 96, 8, 3);
        assertTrue(learning.lastLoss() < learning.firstLoss() / 4, "mean loss fell from " + learning.firstLoss() + " to only "
                + learning.lastLoss());
        assertTrue(learning.correct() >= 320, "held-out accuracy " + learning.correct() / 4.0 + " %, chance is 25 %");
    }

    /** The mean loss of the first and the last {@code window} steps, and how many of 400 held-out bars the net then gets right. */
    private record Learning(double firstLoss, double lastLoss, int correct) {
    }

    /** {@code steps} steps of 32 over {@code examples} generated bars with Adam, then 400 held-out ones classified. */
    private static Learning learn(Network net, int examples, int steps, int window, long seed) {
        Training training = new Training(net, pool, Adam.withDecay(1e-4, true), 5, 0, 7);
        Bars train = Bars.generate(examples, seed);
        int batch = 32;
        double firstLoss = 0;
        double lastLoss = 0;
        for (int step = 0; step < steps; step++) {
            int from = step * batch % examples;
            StepResult result = training.step(train.batch(from, batch), train.labels(from, batch), 3e-3);
            firstLoss += step < window ? result.loss() / window : 0;
            lastLoss += step >= steps - window ? result.loss() / window : 0;
        }
        Bars test = Bars.generate(400, seed + 1);
        Tensor probabilities = net.newInference(pool, 400).forward(test.images());
        int correct = 0;
        for (int n = 0; n < 400; n++) {
            correct += SoftmaxCrossEntropy.argmax(probabilities.data(), n * 4, 4) == test.labels()[n] ? 1 : 0;
        }
        return new Learning(firstLoss, lastLoss, correct);
    }

    @Test
    void aSeededRunGivesIdenticalWeightsForAGivenThreadCount() {
        Map<String, float[]> first = trainBriefly(pool);
        Map<String, float[]> second = trainBriefly(pool);
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name), second.get(name), name + " differs between two runs with the same seed");
        }
        try (WorkerPool three = new WorkerPool(3)) {
            Map<String, float[]> other = trainBriefly(three);
            for (String name : first.keySet()) {
                // Another thread count sums the batch in another order: close, not identical.
                dev.framestream.engine.Numerics.assertClose(name + " with 3 threads", first.get(name), other.get(name), 1e-4, 1e-3);
            }
        }
    }

    private static Map<String, float[]> trainBriefly(WorkerPool workers) {
        Network net = Network.build(BARS);
        net.initialise(3);
        Training training = new Training(net, workers, new Sgd(0.9, true, 5e-4), 0, 0, 11);
        Bars data = Bars.generate(13 * 6, 5);
        for (int step = 0; step < 6; step++) {
            training.step(data.batch(step * 13, 13), data.labels(step * 13, 13), 0.05);
        }
        Map<String, float[]> weights = new TreeMap<>();
        net.parameters().forEach((name, parameter) -> weights.put(name, parameter.values().clone()));
        return weights;
    }

    @Test
    void predictionsAreTheClassesTheWeightsChoseBeforeTheUpdate() {
        Network net = Network.build(BARS.replace(" | dropout 0.2", ""));
        net.initialise(6);
        Bars data = Bars.generate(24, 4);
        Tensor probabilities = net.newInference(pool, 24).forward(data.images());
        int[] expected = new int[24];
        int right = 0;
        for (int n = 0; n < 24; n++) {
            expected[n] = SoftmaxCrossEntropy.argmax(probabilities.data(), n * 4, 4);
            right += expected[n] == data.labels()[n] ? 1 : 0;
        }
        int[] predicted = new int[24];
        StepResult result = new Training(net, pool, new Sgd(0, false, 0), 0, 0, 1).step(data.images(), data.labels(), 0.5, predicted);
        assertArrayEquals(expected, predicted, "one prediction per example, from the weights before the step");
        assertEquals(right, result.correct());
    }

    @Test
    void clippingBoundsTheStepToTheGivenNorm() {
        Network net = Network.build(BARS);
        net.initialise(4);
        Map<String, float[]> before = new TreeMap<>();
        net.parameters().forEach((name, parameter) -> before.put(name, parameter.values().clone()));
        Training training = new Training(net, pool, new Sgd(0, false, 0), 0.01, 0, 1);
        Bars data = Bars.generate(16, 9);
        StepResult result = training.step(data.images(), data.labels(), 1.0);
        double moved = 0;
        for (Parameter parameter : net.parameters().values()) {
            float[] old = before.get(parameter.name());
            for (int i = 0; i < old.length; i++) {
                moved += Math.pow(parameter.values()[i] - old[i], 2);
            }
        }
        assertTrue(result.gradientNorm() > 0.01, "the test needs a gradient larger than the clip, got " + result.gradientNorm());
        assertEquals(0.01, Math.sqrt(moved), 1e-5, "plain SGD at rate 1 moves by exactly the clipped gradient");
    }

    @Test
    void rejectsALabelOutsideTheClassesNamingIt() {
        Network net = Network.build(BARS);
        Training training = new Training(net, pool, new Sgd(0, false, 0), 0, 0, 1);
        Bars data = Bars.generate(2, 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> training.step(data.images(), new int[] {1, 4}, 0.1));
        assertTrue(error.getMessage().contains("example 1 has label 4"), error.getMessage());
    }

    @Test
    void aDivergingStepThrowsAndLeavesTheWeightsAsTheyWere() {
        Network net = Network.build(BARS);
        net.initialise(5);
        Bars data = Bars.generate(8, 1);
        float[] pixels = data.images().data().clone();
        pixels[3] = Float.NaN;
        float[] before = net.weights("fc2.weight");
        Training training = new Training(net, pool, new Sgd(0, false, 0), 0, 0, 1);
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> training.step(new Tensor(8, data.images().shape(), pixels), data.labels(), 0.1));
        assertTrue(error.getMessage().contains("diverged"), error.getMessage());
        assertArrayEquals(before, net.weights("fc2.weight"));
    }

    /** Nor do a batch norm's running averages take in the statistics of a batch whose step was refused. */
    @Test
    void aDivergingStepLeavesTheRunningAveragesAsTheyWere() {
        Network net = Network.build(ArchitectureSpec.parse("in 4 | fc 6 | batchnorm | relu | fc 3"), Kernels.best());
        net.initialise(5);
        float[] x = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
        Training training = new Training(net, pool, new Sgd(0, false, 0), 0, 0, 1);
        training.step(new Tensor(3, Shape.flat(4), x), new int[] {2, 0, 1}, 0.1);
        float[] mean = net.weights("batchnorm1.running_mean");
        float[] variance = net.weights("batchnorm1.running_var");
        float[] poisoned = x.clone();
        poisoned[5] = Float.NaN;
        assertThrows(IllegalStateException.class, () -> training.step(new Tensor(3, Shape.flat(4), poisoned), new int[] {2, 0, 1}, 0.1));
        assertArrayEquals(mean, net.weights("batchnorm1.running_mean"));
        assertArrayEquals(variance, net.weights("batchnorm1.running_var"));
        training.step(new Tensor(3, Shape.flat(4), x), new int[] {2, 0, 1}, 0.1);
        assertTrue(net.weights("batchnorm1.running_mean")[0] != mean[0], "a step that goes through moves them");
    }

    @Test
    void trainsANetworkWithoutSoftmaxOnItsOutputAsLogits() {
        Network net = Network.build(ArchitectureSpec.parse("in 4 | fc 3"), Kernels.best());
        net.initialise(1);
        Training training = new Training(net, pool, Adam.withDecay(0, false), 0, 0, 1);
        float[] x = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
        int[] labels = {2, 0, 1};
        double loss = Double.NaN;
        for (int step = 0; step < 200; step++) {
            loss = training.step(new Tensor(3, Shape.flat(4), x), labels, 0.05).loss();
        }
        assertTrue(loss < 0.05, "three separable points should be learnt, loss " + loss);
        Inference inference = net.newInference(pool, 3);
        float[] logits = inference.forward(new Tensor(3, Shape.flat(4), x)).data();
        assertEquals(2, SoftmaxCrossEntropy.argmax(logits, 0, 3));
    }
}
