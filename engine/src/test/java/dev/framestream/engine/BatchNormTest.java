package dev.framestream.engine;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;
import static dev.framestream.engine.Numerics.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.BatchNorm;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.engine.training.Sgd;
import dev.framestream.engine.training.Training;

/**
 * Batch normalisation at inference (running averages, folded into the convolution before it where
 * nothing else reads that convolution) and the running averages training leaves.
 */
class BatchNormTest {
    private static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /** Random weights, and running averages of a trained network: means around 0, variances in [0.5, 1.5]. */
    private static Network network(String spec, String kernels) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.named(kernels));
        net.initialise(5);
        SplittableRandom random = new SplittableRandom(6);
        for (Parameter parameter : net.parameters().values()) {
            float[] values = random(random, parameter.size());
            if (parameter.name().endsWith(".running_var")) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = 1f + values[i] / 2;
                }
            }
            net.setWeights(parameter.name(), values);
        }
        return net;
    }

    @ParameterizedTest(name = "{0} {1} folded={2}")
    @CsvSource(delimiter = ';', value = {
            "in 3x5x4 | batchnorm eps 0.01;vector6;0",
            "in 2x9x9 | conv 4 3x3 pad 1 | batchnorm | relu | maxpool 2 | conv 5 3x3 | batchnorm | flatten | fc 3;vector6;2",
            "in 2x9x9 | conv 4 3x3 pad 1 | batchnorm | relu | maxpool 2 | conv 5 3x3 | batchnorm | flatten | fc 3;scalar;2",
            "in 4x6x6 | conv 16 3x3 pad 1 | batchnorm | relu6 | conv 16 3x3 pad 1 | batchnorm | globalavgpool | flatten | fc 3;vector6;2",
            "in 2x6x6 | conv 2 3x3 pad 1 as a | add a in | batchnorm | relu as r | conv 2 1x1 | batchnorm | add r;vector6;1",
            "in 2x6x6 | conv 3 1x1 as b | batchnorm | add b;vector6;0",
            "in 6 | fc 5 | batchnorm | relu | fc 3;vector6;0",
    })
    void inferenceNormalisesByTheRunningAveragesAndFoldsIntoTheConvolution(String spec, String kernels, int folded) {
        Network net = network(spec, kernels);
        for (int batch : new int[] {1, 7, 33}) {
            inferenceMatchesTheFloat64Run(net, spec, batch);
        }
        Inference inference = net.newInference(pool, 1);
        long normalisations = net.layers().stream().filter(l -> l instanceof BatchNorm).count();
        long stepsThatNormalise = inference.steps().stream().filter(l -> l instanceof BatchNorm).count();
        assertEquals(normalisations - folded, stepsThatNormalise, "batch norms left as steps: " + inference.steps().stream()
                .map(Layer::name).toList());
        assertEquals(folded, inference.steps().stream().filter(l -> l.name().contains("+batchnorm")).count());
    }

    private static void inferenceMatchesTheFloat64Run(Network net, String spec, int batch) {
        SplittableRandom random = new SplittableRandom(spec.hashCode() + batch);
        int size = net.inputShape().size();
        Tensor input = new Tensor(batch, net.inputShape(), random(random, batch * size));
        Inference inference = net.newInference(pool, batch);

        Tensor output = inference.forward(input);

        int outSize = net.outputShape().size();
        for (int e = 0; e < batch; e++) {
            double[] expected = Float64Network.forward(net, net.layers().size(), widen(input.data(), e * size, size), e, null);
            assertClose(spec + " batch " + batch + " example " + e, expected, output.data(), e * outSize, 1e-5, 1e-4);
        }
    }

    /** A folded copy follows the normalisation's values: change them and the next batch shows it. */
    @Test
    void aFoldedNormalisationFollowsNewWeights() {
        Network net = network("in 2x6x6 | conv 3 3x3 pad 1 | batchnorm | relu | flatten | fc 4", "vector6");
        Tensor input = new Tensor(2, net.inputShape(), random(new SplittableRandom(1), 2 * net.inputShape().size()));
        Inference inference = net.newInference(pool, 2);
        float[] before = inference.forward(input).data().clone();
        net.setWeights("batchnorm1.running_mean", new float[] {1f, -1f, 0.5f});
        net.setWeights("conv1.bias", new float[] {0.3f, 0.2f, 0.1f});

        float[] after = inference.forward(input).data();

        int size = net.inputShape().size();
        for (int e = 0; e < 2; e++) {
            double[] expected = Float64Network.forward(net, net.layers().size(), widen(input.data(), e * size, size), e, null);
            assertClose("example " + e, expected, after, e * 4, 1e-5, 1e-4);
        }
        assertTrue(Math.abs(before[0] - after[0]) > 1e-3, "the new running mean changed the output");
    }

    /**
     * PyTorch's update after one step: {@code running = 0.9 running + 0.1 batch}, the variance the
     * unbiased one over the batch and plane, from a start of mean 0 and variance 1.
     */
    @Test
    void aTrainingStepMovesTheRunningAveragesTowardsTheBatchStatistics() {
        Network net = Network.build(ArchitectureSpec.parse("in 2x3x3 | batchnorm | flatten | fc 3"), Kernels.best());
        net.initialise(2);
        int batch = 5;
        float[] x = random(new SplittableRandom(3), batch * 18);
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * x[i] + (i / 9 % 2 == 0 ? 1.5f : -0.5f);     // channel 0 around 1.5, channel 1 around -0.5
        }
        Training training = new Training(net, pool, new Sgd(0, false, 0), 0, 0, 1);
        training.step(new Tensor(batch, net.inputShape(), x), new int[] {0, 1, 2, 0, 1}, 0.0);

        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double squares = 0;
            int n = 0;
            for (int e = 0; e < batch; e++) {
                for (int i = 0; i < 9; i++) {
                    double v = x[e * 18 + c * 9 + i];
                    sum += v;
                    squares += v * v;
                    n++;
                }
            }
            double mean = sum / n;
            double unbiased = (squares - n * mean * mean) / (n - 1);
            assertEquals(0.1 * mean, net.weights("batchnorm1.running_mean")[c], 1e-6, "running mean of channel " + c);
            assertEquals(0.9 + 0.1 * unbiased, net.weights("batchnorm1.running_var")[c], 1e-5, "running variance of channel " + c);
        }
        assertEquals(List.of("batchnorm1.weight", "batchnorm1.bias", "batchnorm1.running_mean", "batchnorm1.running_var",
                "fc1.weight", "fc1.bias"), List.copyOf(net.parameters().keySet()), "the running averages travel with the weights");
    }

    @Test
    void trainingOnOneValuePerChannelSaysWhatToChange() {
        Network net = Network.build(ArchitectureSpec.parse("in 4 | batchnorm | fc 2"), Kernels.best());
        net.initialise(1);
        Training training = new Training(net, pool, new Sgd(0, false, 0), 0, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> training.step(new Tensor(1, net.inputShape(), new float[4]), new int[] {1}, 0.1));
        assertTrue(e.getMessage().contains("batches of at least 2 examples"), e.getMessage());
    }
}
