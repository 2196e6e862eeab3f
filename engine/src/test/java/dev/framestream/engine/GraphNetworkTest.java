package dev.framestream.engine;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;
import static dev.framestream.engine.Numerics.widen;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;

/**
 * Networks with branches and joins against the same graph run in float64 ({@link Float64Network}):
 * residual blocks (a shortcut read twice, once by a later add) and fire modules (two branches
 * from one squeeze, concatenated), at batch sizes that exercise both of the inference's schedules.
 */
class GraphNetworkTest {
    /** Two residual blocks, the second with a strided 1x1 shortcut, as in ResNet's stage changes. */
    static final String RESIDUAL = "in 3x12x12 | conv 8 3x3 pad 1 | relu as x | conv 8 3x3 pad 1 | relu | conv 8 3x3 pad 1"
            + " | add x | relu as y | conv 12 3x3 stride 2 pad 1 | relu | conv 12 3x3 pad 1 as main"
            + " | from y conv 12 1x1 stride 2 | add main | relu | avgpool 6 | flatten | fc 10 | softmax";
    /** SqueezeNet's fire module twice, with a max-pool between them. */
    static final String FIRE = "in 3x12x12 | conv 8 3x3 pad 1 | relu | conv 4 1x1 | relu as s | conv 6 1x1 | relu as e1"
            + " | from s conv 6 3x3 pad 1 | relu | concat e1 | maxpool 2 | conv 4 1x1 | relu as t | conv 8 1x1 | relu as f1"
            + " | from t conv 8 3x3 pad 1 | relu as f3 | concat f1 f3 | avgpool 6 | flatten | fc 10 | softmax";

    private static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    static Stream<Arguments> cases() {
        return Stream.of("scalar", "vector4", "vector6").flatMap(kernels -> Stream.of(1, 3, 33).flatMap(batch -> Stream.of(
                Arguments.of("residual", RESIDUAL, kernels, batch), Arguments.of("fire", FIRE, kernels, batch))));
    }

    @ParameterizedTest(name = "{0} {2} batch={3}")
    @MethodSource("cases")
    void graphMatchesItsFloat64Run(String what, String spec, String kernels, int batch) {
        Network net = network(spec, kernels);
        float[] pixels = pixels(net, batch, 7);
        Tensor output = net.newInference(pool, batch).forward(new Tensor(batch, net.inputShape(), pixels));
        int in = net.inputShape().size();
        int classes = net.outputShape().size();
        for (int n = 0; n < batch; n++) {
            double[] expected = Float64Network.forward(net, net.layers().size(), widen(pixels, n * in, in), n, null);
            assertClose(what + " example " + n, expected, output.data(), n * classes, 1e-5, 1e-4);
        }
    }

    @Test
    void reusedBuffersLeaveNothingBehindFromTheLastBatch() {
        Network net = network(RESIDUAL, "vector6");
        Inference inference = net.newInference(pool, 9);
        float[] first = pixels(net, 9, 1);
        float[] expected = inference.forward(new Tensor(9, net.inputShape(), first)).data().clone();
        inference.forward(new Tensor(5, net.inputShape(), pixels(net, 5, 2)));
        inference.forward(new Tensor(9, net.inputShape(), pixels(net, 9, 3)));
        assertArrayEquals(expected, inference.forward(new Tensor(9, net.inputShape(), first)).data());
    }

    @Test
    void aDeepGraphHoldsFewerBuffersThanItHasValues() {
        StringBuilder spec = new StringBuilder("in 8x16x16 | conv 8 3x3 pad 1 | relu as b0");
        for (int block = 1; block <= 8; block++) {
            spec.append(" | conv 8 3x3 pad 1 | relu | conv 8 3x3 pad 1 | add b").append(block - 1)
                    .append(" | relu as b").append(block);
        }
        spec.append(" | flatten | fc 10 | softmax");
        Network net = network(spec.toString(), "vector6");
        int batch = 4;
        long everyValue = (long) net.inputShape().size() * batch;
        for (var layer : net.layers()) {
            everyValue += (long) layer.outputShape().size() * batch;
        }
        long held = net.newInference(pool, batch).bufferFloats();
        // Each block's values die within the block: a handful of 8x16x16 buffers serve all 35 values.
        assertTrue(held * 4 < everyValue, "the inference holds " + held + " floats for " + everyValue + " floats of values");
    }

    @Test
    void joinsOfMismatchedShapesSayWhatToChange() {
        var add = assertThrows(IllegalArgumentException.class, () -> network(
                "in 3x8x8 | conv 4 3x3 pad 1 as x | conv 4 3x3 stride 2 pad 1 | add x | flatten | fc 2", "scalar"));
        assertTrue(add.getMessage().contains("add") && add.getMessage().contains("4x4x4")
                && add.getMessage().contains("1x1 convolution"), add.getMessage());
        var concat = assertThrows(IllegalArgumentException.class, () -> network(
                "in 3x8x8 | conv 4 3x3 pad 1 as x | conv 4 3x3 stride 2 pad 1 | concat x | flatten | fc 2", "scalar"));
        assertTrue(concat.getMessage().contains("concat") && concat.getMessage().contains("same size"), concat.getMessage());
    }

    private static Network network(String spec, String kernels) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.named(kernels));
        net.initialise(42);
        SplittableRandom random = new SplittableRandom(5);
        // Biases are zero after initialisation; give them values so the test covers them.
        for (var parameter : net.parameters().values()) {
            if (parameter.dims().length == 1) {
                net.setWeights(parameter.name(), random(random, parameter.size()));
            }
        }
        return net;
    }

    private static float[] pixels(Network net, int batch, long seed) {
        Shape in = net.inputShape();
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[batch * in.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble(0, 1);
        }
        return pixels;
    }
}
