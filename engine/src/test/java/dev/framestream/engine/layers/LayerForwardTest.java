package dev.framestream.engine.layers;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;
import static dev.framestream.engine.Numerics.widen;
import static dev.framestream.engine.kernels.ConvolutionChoice.DIRECT;
import static dev.framestream.engine.kernels.ConvolutionChoice.GEMM;
import static dev.framestream.engine.kernels.ConvolutionChoice.WINOGRAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.framestream.engine.Float64Network;
import dev.framestream.engine.Inference;
import dev.framestream.engine.Network;
import dev.framestream.engine.Numerics;
import dev.framestream.engine.PlainCnn;
import dev.framestream.engine.kernels.ConvolutionChoice;
import dev.framestream.engine.kernels.DirectConvolution;
import dev.framestream.engine.kernels.Im2colPanels;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;

/**
 * Each layer's forward pass, run through the engine (packing, slicing, threads) on every kernel
 * set, against the plain float64 formulas: odd sizes, stride 2, padding 1 and 2, 1 and 3 input
 * channels, batches of 1 and 33.
 */
class LayerForwardTest {
    private static WorkerPool pool1;
    private static WorkerPool pool3;

    @BeforeAll
    static void startPools() {
        pool1 = new WorkerPool(1);
        pool3 = new WorkerPool(3);
    }

    @AfterAll
    static void stopPools() {
        pool1.close();
        pool3.close();
    }

    record Conv(int c, int h, int w, int filters, int kh, int kw, int stride, int pad) {
        String spec() {
            return "in " + c + "x" + h + "x" + w + " | conv " + filters + " " + kh + "x" + kw + " stride " + stride + " pad " + pad;
        }

        /** What the method may differ from the exact sums by: see {@link Numerics#winogradTolerance}. */
        double tolerance(ConvolutionChoice method) {
            return method == WINOGRAD ? Numerics.winogradTolerance(c * kh * kw) : 1e-5;
        }
    }

    static Stream<Kernels> kernelSets() {
        return Stream.of(Kernels.scalar(), Kernels.vector(4), Kernels.vector(6));
    }

    static Stream<Arguments> convCases() {
        Stream<Conv> convs = Stream.of(
                new Conv(1, 28, 28, 8, 5, 5, 1, 0),
                new Conv(3, 13, 11, 7, 3, 3, 1, 1),
                new Conv(3, 11, 16, 8, 3, 3, 1, 1),
                new Conv(2, 10, 19, 12, 4, 4, 1, 2),
                new Conv(3, 17, 15, 5, 3, 3, 2, 1),
                new Conv(1, 9, 10, 13, 5, 3, 1, 2),
                new Conv(3, 7, 7, 33, 1, 1, 1, 0),
                new Conv(24, 5, 9, 20, 1, 1, 1, 0),
                new Conv(8, 12, 12, 16, 5, 5, 1, 0),
                new Conv(2, 6, 9, 3, 4, 2, 2, 2),
                new Conv(9, 10, 9, 20, 3, 3, 1, 0),
                new Conv(4, 7, 8, 6, 3, 3, 1, 2),
                new Conv(16, 18, 34, 13, 3, 3, 1, 1),
                new Conv(2, 9, 17, 12, 4, 4, 1, 1),
                new Conv(2, 6, 14, 4, 3, 3, 1, 1),      // rows of 14: overlapping at 8 lanes, staged at 16
                new Conv(3, 5, 11, 8, 5, 5, 1, 0),      // rows of 7: staged at 8 lanes, lowered at 16
                new Conv(3, 9, 70, 8, 3, 3, 2, 0),      // stride 2 on rows wider than a vector, read in place to the input's end
                new Conv(3, 12, 66, 6, 7, 7, 2, 3));    // a ResNet stem in small
        return convs.flatMap(conv -> kernelSets().flatMap(kernels -> Stream.of(GEMM, DIRECT, WINOGRAD).flatMap(method -> Stream.of(1, 33)
                .flatMap(batch -> Stream.of(1, 3).map(threads -> Arguments.of(conv, kernels.name(), method, batch, threads))))));
    }

    @ParameterizedTest(name = "{0} {1} {2} batch={3} threads={4}")
    @MethodSource("convCases")
    void convolutionMatchesPlainFormula(Conv conv, String kernels, ConvolutionChoice method, int batch, int threads) {
        Network net = Network.build(ArchitectureSpec.parse(conv.spec()), Kernels.named(kernels).withConvolution(method));
        SplittableRandom random = new SplittableRandom(conv.hashCode());
        float[] weight = random(random, conv.filters * conv.c * conv.kh * conv.kw);
        float[] bias = random(random, conv.filters);
        net.setWeights("conv1.weight", weight);
        net.setWeights("conv1.bias", bias);
        if (method == DIRECT && DirectConvolution.applies(conv.stride, conv.w + 2 * conv.pad - conv.kw + 1)) {
            assertEquals("direct", ((Conv2D) net.layers().get(0)).method(), "rows of any width from half a vector run direct");
        }
        check(net, batch, threads, random, conv.tolerance(method), in -> PlainCnn.conv(in, conv.c, conv.h, conv.w, weight, bias,
                conv.filters, conv.kh, conv.kw, conv.stride, conv.pad));
    }

    static Stream<Arguments> fusedCases() {
        Stream<Arguments> convs = Stream.of(
                Arguments.of(new Conv(16, 12, 12, 8, 3, 3, 1, 1), WINOGRAD),  // even output: every tile a pooling window
                Arguments.of(new Conv(17, 11, 9, 6, 3, 3, 1, 1), WINOGRAD),   // odd output: the pool drops the half tiles
                Arguments.of(new Conv(16, 13, 14, 5, 3, 3, 1, 0), WINOGRAD),
                Arguments.of(new Conv(1, 28, 28, 8, 5, 5, 1, 0), DIRECT),     // 12 row pairs x 3 groups: pooled tiles
                Arguments.of(new Conv(8, 12, 12, 16, 5, 5, 1, 0), DIRECT),    // DIGITS conv2: 4 row pairs of one group
                Arguments.of(new Conv(1, 28, 28, 6, 5, 5, 1, 2), DIRECT),     // LeNet-5 conv1: a last group of 2 real filters
                Arguments.of(new Conv(2, 8, 8, 3, 3, 3, 1, 0), DIRECT),       // rows of 6 and 3 filters: staged and partial
                Arguments.of(new Conv(2, 10, 32, 4, 3, 3, 1, 1), DIRECT),
                Arguments.of(new Conv(2, 6, 8, 4, 3, 3, 1, 1), DIRECT),       // 3 row pairs of one group
                Arguments.of(new Conv(2, 9, 17, 12, 4, 4, 1, 1), DIRECT),     // a width without its own kernel loop
                Arguments.of(new Conv(2, 10, 20, 4, 3, 3, 1, 1), DIRECT),     // rows of 20: a last vector overlapping the one before
                Arguments.of(new Conv(2, 8, 8, 4, 3, 3, 1, 0), DIRECT),       // rows of 6, staged at 8 lanes (lowered at 16)
                Arguments.of(new Conv(3, 9, 14, 8, 3, 3, 1, 0), DIRECT),      // rows of 12 and an odd height: ReLU only
                Arguments.of(new Conv(3, 11, 16, 8, 3, 3, 1, 1), DIRECT),     // odd height: ReLU only
                Arguments.of(new Conv(3, 16, 16, 32, 3, 3, 1, 1), GEMM),      // CAMERA's first layer in small: row-pair panels
                Arguments.of(new Conv(2, 6, 8, 13, 3, 3, 1, 1), GEMM),        // one group of 8 columns, a filter panel of 1
                Arguments.of(new Conv(3, 17, 16, 7, 3, 3, 1, 1), GEMM),       // odd height: ReLU only
                Arguments.of(new Conv(2, 9, 12, 6, 3, 3, 1, 1), GEMM),        // width not a multiple of 8: ReLU only
                Arguments.of(new Conv(2, 13, 13, 8, 3, 3, 1, 1), GEMM));      // 169 pixels: a last narrow panel
        return convs.flatMap(conv -> kernelSets().flatMap(kernels -> Stream.of("relu | maxpool 2", "relu", "relu | avgpool 2")
                .flatMap(after -> Stream.of(1, 33).map(batch -> Arguments.of(conv.get()[0], conv.get()[1], after, kernels.name(), batch)))));
    }

    /**
     * A convolution whose method can write the ReLU (and, for Winograd, for direct convolutions
     * whose output height is even and for lowered ones whose output also has whole vectors of
     * columns, the 2x2 max-pool) after it as one fused step; the result is the layers' result.
     */
    @ParameterizedTest(name = "{0} {1} | {2} {3} batch={4}")
    @MethodSource("fusedCases")
    void fusedConvolutionMatchesTheLayersItReplaces(Conv conv, ConvolutionChoice method, String after, String kernels, int batch) {
        Network net = Network.build(ArchitectureSpec.parse(conv.spec() + " | " + after), Kernels.named(kernels).withConvolution(method));
        SplittableRandom random = new SplittableRandom(conv.hashCode() + after.hashCode());
        float[] weight = random(random, conv.filters * conv.c * conv.kh * conv.kw);
        float[] bias = random(random, conv.filters);
        net.setWeights("conv1.weight", weight);
        net.setWeights("conv1.bias", bias);
        Shape convOut = net.layers().get(0).outputShape();
        String fused = net.newInference(pool1, 1).steps().get(0).name();
        // Direct convolution needs rows of half a vector or more, or the layer is lowered instead.
        boolean direct = method == ConvolutionChoice.DIRECT && DirectConvolution.applies(1, convOut.width());
        boolean pools = switch (method) {
            case WINOGRAD -> true;
            case DIRECT, GEMM, AUTO -> direct ? DirectConvolution.pools(convOut.height(), convOut.width())
                    : Im2colPanels.rowPairsApply(convOut.height(), convOut.width());
        };
        boolean pooled = pools && after.startsWith("relu | maxpool");
        assertEquals(pooled ? "conv1+relu1+maxpool1" : "conv1+relu1", fused);
        check(net, batch, 3, random, conv.tolerance(method), in -> {
            double[] y = PlainCnn.relu(PlainCnn.conv(in, conv.c, conv.h, conv.w, weight, bias, conv.filters, conv.kh, conv.kw, 1, conv.pad));
            return after.contains("pool")
                    ? PlainCnn.pool(y, convOut.channels(), convOut.height(), convOut.width(), 2, 2, after.contains("maxpool"))
                    : y;
        });
    }

    static Stream<Arguments> reluSixCases() {
        Stream<Arguments> specs = Stream.of(
                Arguments.of("in 3x11x16 | conv 8 3x3 pad 1 | relu6", GEMM),
                Arguments.of("in 3x11x16 | conv 8 3x3 pad 1 | relu6", WINOGRAD),
                Arguments.of("in 3x11x16 | conv 8 3x3 pad 1 | relu6", DIRECT),                         // no clamp in its tiles: a clip step
                Arguments.of("in 16x14x13 | conv 16 3x3 pad 1 groups 16 | relu6", ConvolutionChoice.AUTO),  // depthwise rows
                Arguments.of("in 8x6x5 | conv 8 3x3 pad 1 groups 8 | relu6", ConvolutionChoice.AUTO),      // a flat depthwise plane
                Arguments.of("in 8x8x8 | conv 8 3x3 stride 2 pad 1 groups 8 | relu6", ConvolutionChoice.AUTO),
                Arguments.of("in 8x7x7 | conv 8 5x5 pad 2 groups 2 | relu6", ConvolutionChoice.AUTO),      // grouped, tap by tap
                Arguments.of("in 8x2x2 | conv 24 3x3 pad 1 | relu6", ConvolutionChoice.AUTO));             // batch-wide
        return specs.flatMap(spec -> kernelSets().flatMap(kernels -> Stream.of(1, 33)
                .map(batch -> Arguments.of(spec.get()[0], spec.get()[1], kernels.name(), batch))));
    }

    /**
     * A ReLU6 after a convolution runs in its store where the method can clamp (all but direct),
     * and the result is the layers' result. Weights 4 times the usual make outputs past 6 and
     * below 0 in every case, so both bounds are exercised.
     */
    @ParameterizedTest(name = "{0} {1} {2} batch={3}")
    @MethodSource("reluSixCases")
    void reluSixFusesIntoTheConvolutionsStore(String spec, ConvolutionChoice method, String kernels, int batch) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.named(kernels).withConvolution(method));
        SplittableRandom random = new SplittableRandom(spec.hashCode() + batch);
        float[] weight = random(random, net.parameters().get("conv1.weight").size());
        for (int i = 0; i < weight.length; i++) {
            weight[i] *= 4;
        }
        net.setWeights("conv1.weight", weight);
        net.setWeights("conv1.bias", random(random, net.parameters().get("conv1.bias").size()));
        boolean direct = method == DIRECT && DirectConvolution.applies(1, net.layers().get(0).outputShape().width());
        assertEquals(direct ? "conv1" : "conv1+clip1", net.newInference(pool1, batch).steps().get(0).name());
        double[] sums = Float64Network.forward(net, 1, widen(random(random, net.inputShape().size()), 0, net.inputShape().size()), 0, null);
        assertTrue(Arrays.stream(sums).anyMatch(v -> v > 6) && Arrays.stream(sums).anyMatch(v -> v < 0),
                "the case must reach past both bounds");
        check(net, batch, 3, random, 1e-4, x -> Float64Network.forward(net, net.layers().size(), x, 0, null));
    }

    static Stream<Arguments> simpleCases() {
        Stream<String> specs = Stream.of(
                "in 3x13x11 | maxpool 2",
                "in 2x9x9 | maxpool 3 stride 2",
                "in 3x13x11 | avgpool 2",
                "in 1x8x7 | avgpool 3 stride 1",
                "in 3x13x11 | maxpool 3 stride 2 pad 1",
                "in 2x11x12 | maxpool 3 stride 2 ceil",
                "in 3x13x11 | maxpool 2 ceil",
                "in 2x9x8 | avgpool 3 stride 2 pad 1 ceil",
                "in 2x35x37 | maxpool 3 stride 2 ceil",            // rows wider than a vector: SqueezeNet's pool
                "in 2x33x34 | maxpool 5 stride 3 pad 2 ceil",
                "in 2x34x35 | avgpool 3 stride 2 pad 1 ceil",
                "in 2x20x40 | avgpool 5 stride 1 pad 2",
                "in 5x7x6 | globalavgpool",
                "in 5x30x31 | relu",
                "in 5x30x31 | relu6",
                "in 3x10x9 | clip -0.25 0.5",
                "in 3x10x9 | leakyrelu 0.2",
                "in 3x10x9 | sigmoid",
                "in 2x3x5 | flatten",
                "in 2x3x5 | dropout 0.5",
                "in 37 | softmax");
        return specs.flatMap(spec -> kernelSets().flatMap(kernels -> Stream.of(1, 33)
                .map(batch -> Arguments.of(spec, kernels.name(), batch))));
    }

    static Stream<Arguments> groupedCases() {
        Stream<String> specs = Stream.of(
                "in 16x14x13 | conv 16 3x3 pad 1 groups 16",
                "in 16x14x13 | conv 16 3x3 pad 1 groups 16 | relu",
                "in 8x6x5 | conv 8 3x3 pad 1 groups 8 | relu",         // rows narrower than a vector at either width: flat
                "in 12x7x7 | conv 12 3x3 pad 1 groups 12",
                "in 8x14x13 | conv 8 3x3 stride 2 pad 1 groups 8 | relu",
                "in 8x15x15 | conv 16 3x3 stride 2 pad 1 groups 8 | relu",
                "in 6x9x9 | conv 9 3x3 groups 3",
                "in 8x7x7 | conv 8 5x5 pad 2 groups 2 | relu",
                "in 4x6x6 | conv 8 1x1 groups 4");
        return specs.flatMap(spec -> kernelSets().flatMap(kernels -> Stream.of(1, 33).flatMap(batch -> Stream.of(1, 3)
                .map(threads -> Arguments.of(spec, kernels.name(), batch, threads)))));
    }

    /** Grouped and depthwise convolutions, alone and with the ReLU they take into their store, against the float64 formula. */
    @ParameterizedTest(name = "{0} {1} batch={2} threads={3}")
    @MethodSource("groupedCases")
    void groupedConvolutionMatchesPlainFormula(String spec, String kernels, int batch, int threads) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.named(kernels));
        SplittableRandom random = new SplittableRandom(spec.hashCode() + batch);
        net.setWeights("conv1.weight", random(random, net.parameters().get("conv1.weight").size()));
        net.setWeights("conv1.bias", random(random, net.parameters().get("conv1.bias").size()));
        check(net, batch, threads, random, 1e-5, x -> Float64Network.forward(net, net.layers().size(), x, 0, null));
        if (spec.endsWith("relu")) {
            assertEquals(1, net.newInference(pool1, 1).steps().size(), "the ReLU runs in the convolution's store");
        }
    }

    static Stream<Arguments> batchedCases() {
        Stream<String> specs = Stream.of(
                "in 8x2x2 | conv 24 3x3 pad 1 | relu",      // 4 pixels: many examples per panel
                "in 16x5x5 | conv 64 3x3 stride 2 pad 1",   // 9 pixels, the filters in 4 parts
                "in 12x3x3 | conv 40 1x1",                  // pointwise, in 2 parts
                "in 6x7x7 | conv 17 3x3 pad 1 | relu",      // 49 pixels: examples cross panel edges
                "in 8x2x2 | conv 72 3x3 pad 1 | relu");     // filters past one panel, the last part-full
        return specs.flatMap(spec -> kernelSets().flatMap(kernels -> Stream.of(1, 3, 33).flatMap(batch -> Stream.of(1, 3)
                .map(threads -> Arguments.of(spec, kernels.name(), batch, threads)))));
    }

    /**
     * Convolutions on small planes run batch-wide, with the ReLU that follows them, and give the
     * float64 formula's result: pixels as GEMM columns where the batch fills them (33 examples),
     * pixels as rows and filters as columns where it would not (1 or 3); both from one network.
     */
    @ParameterizedTest(name = "{0} {1} batch={2} threads={3}")
    @MethodSource("batchedCases")
    void batchedConvolutionMatchesPlainFormula(String spec, String kernels, int batch, int threads) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.named(kernels));
        SplittableRandom random = new SplittableRandom(spec.hashCode() + batch);
        net.setWeights("conv1.weight", random(random, net.parameters().get("conv1.weight").size()));
        net.setWeights("conv1.bias", random(random, net.parameters().get("conv1.bias").size()));
        List<Layer> steps = net.newInference(pool1, 1).steps();
        assertEquals(1, steps.size(), "one step: " + steps);
        assertInstanceOf(BatchedConvolution.class, steps.get(0));
        check(net, batch, threads, random, 1e-5, x -> Float64Network.forward(net, net.layers().size(), x, 0, null));
        // New weights reach the batched step's packed copies.
        net.setWeights("conv1.weight", random(random, net.parameters().get("conv1.weight").size()));
        check(net, batch, threads, random, 1e-5, x -> Float64Network.forward(net, net.layers().size(), x, 0, null));
        check(net, batch == 1 ? 33 : 1, threads, random, 1e-5, x -> Float64Network.forward(net, net.layers().size(), x, 0, null));
    }

    static Stream<String> kernelNames() {
        return kernelSets().map(Kernels::name);
    }

    /**
     * A small plane the direct kernel computes stays per example, with its ReLU and max-pool fused
     * (LeNet-5's second layer: a 10x10 output, a fifth padding in 32-column panels at 512 bits).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelNames")
    void directConvolutionOnASmallPlaneKeepsItsFusedPool(String kernels) {
        Network net = Network.build(ArchitectureSpec.parse("in 6x14x14 | conv 16 5x5 | relu | maxpool 2"), Kernels.named(kernels));
        assertEquals("direct", ((Conv2D) net.layers().get(0)).method());
        assertEquals(List.of("conv1+relu1+maxpool1"), net.newInference(pool1, 32).steps().stream().map(Layer::name).toList());
    }

    /**
     * Output sizes PyTorch gives: ResNet's stem pool, SqueezeNet 1.1's three ceil-mode pools, and a
     * ceil-mode window that would start in the padding, which is dropped.
     */
    @org.junit.jupiter.api.Test
    void poolingOutputSizesFollowPyTorch() {
        assertEquals(new Shape(64, 56, 56), Network.build("in 64x112x112 | maxpool 3 stride 2 pad 1").outputShape());
        assertEquals(new Shape(64, 13, 13), Network.build(
                "in 64x111x111 | maxpool 3 stride 2 ceil | maxpool 3 stride 2 ceil | maxpool 3 stride 2 ceil").outputShape());
        assertEquals(new Shape(1, 54, 54), Network.build("in 1x109x109 | maxpool 3 stride 2 ceil").outputShape());
        assertEquals(new Shape(1, 3, 3), Network.build("in 1x5x5 | maxpool 2 stride 2 pad 1 ceil").outputShape());
        assertEquals(new Shape(8, 1, 1), Network.build("in 8x7x5 | globalavgpool").outputShape());
    }

    /** Against the float64 formulas; without masks, dropout is the identity, as at inference. */
    @ParameterizedTest(name = "{0} {1} batch={2}")
    @MethodSource("simpleCases")
    void parameterFreeLayersMatchPlainFormula(String spec, String kernels, int batch) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.named(kernels));
        check(net, batch, 3, new SplittableRandom(spec.hashCode()), 1e-5, x -> Float64Network.forward(net, 1, x, 0, null));
    }

    static Stream<Arguments> denseCases() {
        return kernelSets().flatMap(kernels -> Stream.of(1, 5, 33).flatMap(batch -> Stream.of(
                Arguments.of("in 3x4x5 | fc 17", kernels.name(), batch),
                Arguments.of("in 300 | fc 40", kernels.name(), batch),
                Arguments.of("in 7 | fc 1", kernels.name(), batch))));
    }

    @ParameterizedTest(name = "{0} {1} batch={2}")
    @MethodSource("denseCases")
    void denseMatchesPlainFormula(String spec, String kernels, int batch) {
        Network net = Network.build(ArchitectureSpec.parse(spec), Kernels.named(kernels));
        SplittableRandom random = new SplittableRandom(spec.hashCode() + batch);
        int outputs = net.outputShape().size();
        float[] weight = random(random, outputs * net.inputShape().size());
        float[] bias = random(random, outputs);
        net.setWeights("fc1.weight", weight);
        net.setWeights("fc1.bias", bias);
        check(net, batch, 3, random, 1e-5, in -> PlainCnn.dense(in, weight, bias, outputs));
    }

    private static void check(Network net, int batch, int threads, SplittableRandom random, double abs, UnaryOperator<double[]> plain) {
        int inSize = net.inputShape().size();
        Tensor input = new Tensor(batch, net.inputShape(), random(random, batch * inSize));
        Inference inference = net.newInference(threads == 1 ? pool1 : pool3, batch);
        Tensor output = inference.forward(input);
        int outSize = net.outputShape().size();
        for (int n = 0; n < batch; n++) {
            double[] expected = plain.apply(widen(input.data(), n * inSize, inSize));
            assertClose(net.spec() + " example " + n, expected, output.data(), n * outSize, abs, 1e-5);
        }
    }
}
