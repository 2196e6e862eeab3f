package dev.framestream.engine.layers;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;
import static dev.framestream.engine.Numerics.widen;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.framestream.engine.Network;
import dev.framestream.engine.Numerics;
import dev.framestream.engine.PlainCnn;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.spec.LayerSpec;

/**
 * The fast backward kernels of convolution and dense layers (packed GEMMs, im2col and col2im) on
 * every kernel set against the plain float64 formulas, on the reference networks' shapes and odd
 * ones, for a range of examples that does not start at 0.
 */
class LayerBackwardTest {
    private static final int FROM = 1;
    private static final int TO = 4;

    static Stream<Arguments> cases() {
        Stream<String> specs = Stream.of(
                "in 1x28x28 | conv 8 5x5",
                "in 8x12x12 | conv 16 5x5",
                "in 32x32x32 | conv 64 3x3 pad 1",
                "in 3x13x11 | conv 7 4x3 stride 2 pad 2",
                "in 5x9x9 | conv 19 1x1",
                "in 4x16x16 | conv 6 3x3 pad 1",
                "in 64x16x16 | conv 128 3x3 pad 1",
                "in 16x14x13 | conv 16 3x3 pad 1 groups 16",
                "in 8x15x15 | conv 16 3x3 stride 2 pad 1 groups 8",
                "in 6x9x9 | conv 9 3x3 groups 3",
                "in 8x7x7 | conv 8 5x5 pad 2 groups 2",
                "in 256 | fc 128",
                "in 4x5x7 | fc 23",
                "in 3 | fc 1");
        return specs.flatMap(spec -> Stream.of("scalar", "vector4", "vector6").map(kernels -> Arguments.of(spec, kernels)));
    }

    /**
     * The input gradient of a 3x3 stride-1 convolution is itself a 3x3 convolution (of the output
     * gradient, whose channels are the filters), which Winograd may compute.
     */
    private static double inputGradientTolerance(Network net) {
        return net.spec().layers().get(0) instanceof LayerSpec.Conv c && c.kernelHeight() == 3 && c.kernelWidth() == 3 && c.stride() == 1
                ? Numerics.winogradTolerance(c.filters() * 9)
                : 1e-5;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void backwardMatchesPlainFloat64Gradients(String spec, String kernels) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.named(kernels));
        SplittableRandom random = new SplittableRandom(spec.hashCode());
        Layer layer = net.layers().get(0);
        float[] weight = random(random, layer.parameters().get(0).size());
        net.setWeights(layer.parameters().get(0).name(), weight);
        int in = layer.inputShape().size();
        int out = layer.outputShape().size();
        float[] x = random(random, TO * in);
        float[] gradOut = random(random, TO * out);
        float[][] gradients = {random(random, weight.length), random(random, layer.outputShape().channels())};
        float[][] before = {gradients[0].clone(), gradients[1].clone()};
        float[] gradIn = new float[TO * in];
        float[] scratch = new float[layer.trainingScratchFloats(TO - FROM)];
        layer.prepareBackward();
        layer.backward(x, new float[TO * out], gradOut, gradIn, FROM, TO, gradients, 0, scratch);

        double[] gradWeight = widen(before[0], 0, weight.length);
        double[] gradBias = widen(before[1], 0, before[1].length);
        for (int e = FROM; e < TO; e++) {
            double[] xe = widen(x, e * in, in);
            double[] ge = widen(gradOut, e * out, out);
            double[] expected = switch (net.spec().layers().get(0)) {
                case LayerSpec.Conv c -> PlainCnn.convBackward(xe, layer.inputShape().channels(), layer.inputShape().height(),
                        layer.inputShape().width(), weight, c.filters(), c.kernelHeight(), c.kernelWidth(), c.stride(), c.pad(),
                        c.groups(), ge, gradWeight, gradBias);
                case LayerSpec.Dense d -> PlainCnn.denseBackward(xe, weight, d.outputs(), ge, gradWeight, gradBias);
                default -> throw new AssertionError(spec);
            };
            assertClose(spec + " input gradient of example " + e, expected, gradIn, e * in, inputGradientTolerance(net), 1e-4);
        }
        assertClose(spec + " weight gradient", gradWeight, gradients[0], 0, 1e-4, 1e-4);
        assertClose(spec + " bias gradient", gradBias, gradients[1], 0, 1e-4, 1e-4);
    }
}
