package dev.framestream.engine;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;
import static dev.framestream.engine.Numerics.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;

/**
 * DIGITS and CAMERA with seeded weights against the same networks written out plainly in float64
 * ({@link PlainCnn}, none of the engine's kernels): softmax outputs within 1e-5.
 */
class ReferenceNetworkTest {
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
        return Stream.of("scalar", "vector4", "vector6").flatMap(kernels -> Stream.of(
                Arguments.of("DIGITS", kernels, 5), Arguments.of("CAMERA", kernels, 3)));
    }

    @ParameterizedTest(name = "{0} {1} batch={2}")
    @MethodSource("cases")
    void engineMatchesPlainFloat64Network(String name, String kernels, int batch) {
        Network net = Network.build(dev.framestream.engine.spec.ArchitectureSpec.of(name), Kernels.named(kernels));
        net.initialise(42);
        SplittableRandom random = new SplittableRandom(7);
        // Biases are zero after initialisation; give them values so the test covers them.
        for (var parameter : net.parameters().values()) {
            if (parameter.dims().length == 1) {
                net.setWeights(parameter.name(), random(random, parameter.size()));
            }
        }
        Shape in = net.inputShape();
        float[] pixels = new float[batch * in.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble(0, 1);
        }
        Tensor output = net.newInference(pool, batch).forward(new Tensor(batch, in, pixels));
        assertEquals(10, output.shape().size());
        for (int n = 0; n < batch; n++) {
            double[] x = widen(pixels, n * in.size(), in.size());
            double[] expected = name.equals("DIGITS") ? digits(net, x) : camera(net, x);
            assertClose(name + " example " + n, expected, output.data(), n * 10, 1e-5, 0);
        }
    }

    private static double[] digits(Network net, double[] x) {
        x = PlainCnn.conv(x, 1, 28, 28, net.weights("conv1.weight"), net.weights("conv1.bias"), 8, 5, 5, 1, 0);
        x = PlainCnn.pool(PlainCnn.relu(x), 8, 24, 24, 2, 2, true);
        x = PlainCnn.conv(x, 8, 12, 12, net.weights("conv2.weight"), net.weights("conv2.bias"), 16, 5, 5, 1, 0);
        x = PlainCnn.pool(PlainCnn.relu(x), 16, 8, 8, 2, 2, true);
        x = PlainCnn.relu(PlainCnn.dense(x, net.weights("fc1.weight"), net.weights("fc1.bias"), 128));
        return PlainCnn.softmax(PlainCnn.dense(x, net.weights("fc2.weight"), net.weights("fc2.bias"), 10));
    }

    private static double[] camera(Network net, double[] x) {
        int channels = 3;
        int size = 64;
        int[] filters = {32, 64, 128};
        for (int block = 0; block < 3; block++) {
            String conv = "conv" + (block + 1);
            x = PlainCnn.conv(x, channels, size, size, net.weights(conv + ".weight"), net.weights(conv + ".bias"),
                    filters[block], 3, 3, 1, 1);
            x = PlainCnn.pool(PlainCnn.relu(x), filters[block], size, size, 2, 2, true);
            channels = filters[block];
            size /= 2;
        }
        x = PlainCnn.relu(PlainCnn.dense(x, net.weights("fc1.weight"), net.weights("fc1.bias"), 256));
        return PlainCnn.softmax(PlainCnn.dense(x, net.weights("fc2.weight"), net.weights("fc2.bias"), 10));
    }
}
