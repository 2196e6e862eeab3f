package dev.framestream.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.tensor.Tensor;

/** What other exporters write: folded arithmetic checked against the same sums done by hand, and refusals. */
class OnnxImportTest {

    @TempDir
    Path directory;

    private static OnnxModel convert(ModelBuilder model) {
        return OnnxImport.convert(model.build(), Map.of(), Kernels.best());
    }

    @Test
    void matMulPlusAddAndGemmWithAlphaBetaBecomeOneFcEach() {
        // y = (x · W + b), then z = 2 · y · V^T... as Gemm(transB=0, alpha 2, beta 0.5) with V stored [in, out].
        float[] w = {1, 2, 3, 4, 5, 6};          // [3, 2]
        float[] v = {1, -1, 0.5f, 2};            // [2, 2], not transposed
        OnnxModel imported = convert(new ModelBuilder().input("x", 3).output("z", 2)
                .initializer("W", new long[] {3, 2}, w).initializer("b", new long[] {1, 2}, 0.5f, -0.5f)
                .initializer("V", new long[] {2, 2}, v).initializer("c", new long[] {2}, 10, 20)
                .node("MatMul", new String[] {"x", "W"}, "xw")
                .node("Add", new String[] {"b", "xw"}, "y")
                .node("Gemm", new String[] {"y", "V", "c"}, "z", "alpha", 2f, "beta", 0.5f));

        assertEquals("in 3 | fc 2 | fc 2", imported.network().spec().toString());
        float[] x = {1, -2, 0.5f};
        float[] y = {1 * 1 - 2 * 3 + 0.5f * 5 + 0.5f, 1 * 2 - 2 * 4 + 0.5f * 6 - 0.5f};
        float[] z = {2 * (y[0] * v[0] + y[1] * v[2]) + 5, 2 * (y[0] * v[1] + y[1] * v[3]) + 10};
        assertArrayEquals(z, RandomNetworks.forward(imported.network(), new Tensor(1, imported.network().inputShape(), x)), 1e-5f);
    }

    @Test
    void batchNormalisationStaysALayerThatInferenceFoldsIntoTheConvolution() {
        ModelBuilder model = new ModelBuilder().input("x", 1, 4, 4).output("y", 2, 2, 2)
                .initializer("W", new long[] {2, 1, 3, 3}, 1, 0, -1, 2, 0, -2, 1, 0, -1, 0, 1, 0, 1, 1, 1, 0, 1, 0)
                .initializer("B", new long[] {2}, 0.25f, -0.5f)
                .initializer("scale", new long[] {2}, 2, 0.5f).initializer("shift", new long[] {2}, 1, -1)
                .initializer("mean", new long[] {2}, 0.5f, 3).initializer("var", new long[] {2}, 4, 0.25f)
                .node("Conv", new String[] {"x", "W", "B"}, "c", "kernel_shape", new long[] {3, 3})
                .node("BatchNormalization", new String[] {"c", "scale", "shift", "mean", "var"}, "y", "epsilon", 1e-3f);
        OnnxModel folded = convert(model);
        assertEquals("in 1x4x4 | conv 2 3x3 | batchnorm eps 0.001", folded.network().spec().toString());
        try (var pool = new dev.framestream.engine.parallel.WorkerPool(1)) {
            assertEquals(List.of("conv1+batchnorm1"), folded.network().newInference(pool, 1).steps().stream()
                    .map(dev.framestream.engine.layers.Layer::name).toList(), "served as one folded convolution");
        }
        OnnxModel convOnly = convert(new ModelBuilder().input("x", 1, 4, 4).output("c", 2, 2, 2)
                .initializer("W", new long[] {2, 1, 3, 3}, 1, 0, -1, 2, 0, -2, 1, 0, -1, 0, 1, 0, 1, 1, 1, 0, 1, 0)
                .initializer("B", new long[] {2}, 0.25f, -0.5f)
                .node("Conv", new String[] {"x", "W", "B"}, "c"));

        Tensor x = RandomNetworks.batch(folded.network(), 2, 4);
        float[] c = RandomNetworks.forward(convOnly.network(), x);
        float[] y = RandomNetworks.forward(folded.network(), x);
        float[][] bn = {{2, 1, 0.5f, 4}, {0.5f, -1, 3, 0.25f}};   // scale, shift, mean, var per channel
        for (int i = 0; i < c.length; i++) {
            float[] p = bn[(i / 4) % 2];
            float expected = (float) (p[0] * (c[i] - p[2]) / Math.sqrt(p[3] + 1e-3) + p[1]);
            assertEquals(expected, y[i], 1e-5f, "value " + i);
        }
    }

    @Test
    void sameAutoPaddingReshapeAndGlobalPoolingMapToEngineLayers() {
        OnnxModel imported = convert(new ModelBuilder().input("x", 3, 8, 8).output("p", 5)
                .initializer("W", new long[] {4, 3, 3, 3}, new float[108])
                .longs("shape", 0, -1)
                .node("Conv", new String[] {"x", "W"}, "c", "auto_pad", "SAME_UPPER")
                .node("Relu", new String[] {"c"}, "r")
                .node("GlobalAveragePool", new String[] {"r"}, "g")
                .node("Reshape", new String[] {"g", "shape"}, "f")
                .node("Identity", new String[] {"f"}, "i")
                .node("Dropout", new String[] {"i"}, "d")
                .node("Softmax", new String[] {"d"}, "p"));

        assertEquals("in 3x8x8 | conv 4 3x3 pad 1 | relu | globalavgpool | flatten | dropout 0.5 | softmax",
                imported.network().spec().toString());
    }

    /** Clip's bounds as attributes (opset 6 to 10) and as optional inputs (11 on), and the pooling options PyTorch writes. */
    @Test
    void activationsAndPaddedOrCeilModePoolingMapToEngineLayers() {
        OnnxModel attributes = convert(new ModelBuilder().opset(9).input("x", 2, 9, 9).output("y", 2, 5, 5)
                .node("Clip", new String[] {"x"}, "c", "min", 0f, "max", 6f)
                .node("MaxPool", new String[] {"c"}, "m", "kernel_shape", new long[] {3, 3}, "strides", new long[] {2, 2},
                        "pads", new long[] {1, 1, 1, 1})
                .node("LeakyRelu", new String[] {"m"}, "y"));
        assertEquals("in 2x9x9 | relu6 | maxpool 3 stride 2 pad 1 | leakyrelu 0.01", attributes.network().spec().toString());

        OnnxModel inputs = convert(new ModelBuilder().opset(13).input("x", 2, 9, 9).output("y", 2, 1, 1)
                .initializer("zero", new long[0], 0f)
                .initializer("low", new long[0], -0.5f)
                .initializer("high", new long[0], 2f)
                .node("Clip", new String[] {"x", "zero"}, "r")
                .node("Clip", new String[] {"r", "", "high"}, "h")
                .node("Clip", new String[] {"h", "low", "high"}, "c")
                .node("Clip", new String[] {"c"}, "same")
                .node("MaxPool", new String[] {"same"}, "m", "kernel_shape", new long[] {3, 3}, "strides", new long[] {2, 2},
                        "ceil_mode", 1L)
                .node("AveragePool", new String[] {"m"}, "a", "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2},
                        "ceil_mode", 1L)
                .node("Sigmoid", new String[] {"a"}, "s")
                .node("GlobalAveragePool", new String[] {"s"}, "y"));
        assertEquals("in 2x9x9 | relu | clip -3.4028235E38 2 | clip -0.5 2 | maxpool 3 stride 2 ceil | avgpool 2 ceil | sigmoid"
                + " | globalavgpool", inputs.network().spec().toString());
        assertEquals(new dev.framestream.engine.tensor.Shape(2, 2, 2), inputs.network().layers().get(4).outputShape(),
                "9 -> 4 by the ceil-mode max-pool, 4 -> 2 by the average");

        ModelBuilder countingPads = new ModelBuilder().input("x", 1, 6, 6).output("y", 1, 3, 3)
                .node("AveragePool", new String[] {"x"}, "y", "kernel_shape", new long[] {3, 3}, "strides", new long[] {2, 2},
                        "pads", new long[] {1, 1, 1, 1}, "count_include_pad", 1L);
        assertTrue(assertThrows(OnnxException.class, () -> convert(countingPads)).getMessage().contains("count_include_pad=1"));
    }

    /** MobileNetV2's depthwise 3x3 (group = channels) and a two-group convolution, as PyTorch writes them. */
    @Test
    void groupedAndDepthwiseConvolutionsMapToConvGroups() {
        OnnxModel imported = convert(new ModelBuilder().input("x", 8, 9, 9).output("y", 4, 5, 5)
                .initializer("D", new long[] {8, 1, 3, 3}, new float[72])
                .initializer("G", new long[] {4, 4, 1, 1}, new float[16])
                .node("Conv", new String[] {"x", "D"}, "d", "group", 8L, "kernel_shape", new long[] {3, 3}, "strides", new long[] {2, 2},
                        "pads", new long[] {1, 1, 1, 1})
                .node("Conv", new String[] {"d", "G"}, "y", "group", 2L));
        assertEquals("in 8x9x9 | conv 8 3x3 stride 2 pad 1 groups 8 | conv 4 1x1 groups 2", imported.network().spec().toString());
    }

    /** Shape arithmetic is worked out at import; on image data, the same operators are refused by name. */
    @Test
    void shapeArithmeticFoldsAndGatherOnDataIsRefused() {
        ModelBuilder onData = new ModelBuilder().input("x", 3, 4, 4).output("y", 4, 4)
                .longs("index", 0)
                .node("Gather", new String[] {"x", "index"}, "y", "axis", 1L);
        OnnxException e = assertThrows(OnnxException.class, () -> convert(onData));
        assertTrue(e.getMessage().contains("Gather on a computed tensor"), e.getMessage());

        ModelBuilder keepsChannels = new ModelBuilder().opset(13).input("x", 3, 4, 4).output("y", 3, 16)
                .longs("zero", 0).longs("rest", 3, -1)
                .node("Shape", new String[] {"x"}, "s")
                .node("Gather", new String[] {"s", "zero"}, "n", "axis", 0L)
                .node("Concat", new String[] {"n", "rest"}, "target", "axis", 0L)
                .node("Reshape", new String[] {"x", "target"}, "y");
        e = assertThrows(OnnxException.class, () -> convert(keepsChannels));
        assertTrue(e.getMessage().contains("reshaping to [N, 3, -1]"), e.getMessage());
    }

    @Test
    void operatorsTheEngineLacksAreListedAllAtOnce() {
        OnnxException e = assertThrows(OnnxException.class, () -> convert(new ModelBuilder().input("x", 4).output("y", 4)
                .node("Tanh", new String[] {"x"}, "a")
                .node("Erf", new String[] {"a"}, "b")
                .node("Tanh", new String[] {"b"}, "y")));

        assertEquals(OnnxException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("Erf (1 node), Tanh (2 nodes)"), e.getMessage());
        assertTrue(e.getMessage().contains("Supported: Constant, Conv, Relu"), e.getMessage());
    }

    @Test
    void attributesTheEngineCannotHonourAreNamed() {
        ModelBuilder grouped = new ModelBuilder().input("x", 4, 5, 5).output("y", 4, 3, 3)
                .initializer("W", new long[] {4, 3, 3, 3}, new float[108])
                .node("Conv", new String[] {"x", "W"}, "y", "group", 4L);
        OnnxException wrongGroups = assertThrows(OnnxException.class, () -> convert(grouped));
        assertEquals(OnnxException.Kind.MALFORMED, wrongGroups.kind());
        assertEquals("Conv \"y\": W has 3 input channels per filter but its input has 4 channels in 4 group(s)", wrongGroups.getMessage());

        ModelBuilder dilated = new ModelBuilder().input("x", 1, 5, 5).output("y", 1, 1, 1)
                .node("MaxPool", new String[] {"x"}, "y", "kernel_shape", new long[] {3, 3}, "dilations", new long[] {2, 2});
        assertTrue(assertThrows(OnnxException.class, () -> convert(dilated)).getMessage().contains("dilations=[2, 2]"));
    }

    @Test
    void aBranchAndItsJoinImportAsAGraph() {
        OnnxModel model = convert(new ModelBuilder().input("x", 4).output("y", 4)
                .node("Relu", new String[] {"x"}, "a")
                .node("Relu", new String[] {"a"}, "b")
                .node("Add", new String[] {"a", "b"}, "y"));

        var nodes = model.network().spec().nodes();
        assertEquals(List.of(List.of(0), List.of(1), List.of(1, 2)), nodes.stream().map(n -> n.inputs()).toList());
        float[] x = {-1, 2, -3, 4};
        float[] y = RandomNetworks.forward(model.network(), new Tensor(1, model.network().inputShape(), x));
        assertArrayEquals(new float[] {0, 4, 0, 8}, y);   // relu(x) + relu(relu(x))
    }

    @Test
    void aNodeReadingTwoComputedTensorsThatIsNoJoinIsRefused() {
        OnnxException e = assertThrows(OnnxException.class, () -> convert(new ModelBuilder().input("x", 4).output("y", 4)
                .node("Relu", new String[] {"x"}, "a")
                .node("Relu", new String[] {"a"}, "b")
                .node("Gemm", new String[] {"a", "b"}, "y")));

        assertTrue(e.getMessage().contains("joins tensors with Add and Concat"), e.getMessage());
    }

    @Test
    void aFileThatIsNotOnnxSaysSo() throws Exception {
        Path junk = directory.resolve("junk.onnx");
        Files.write(junk, "this is not a model".getBytes());
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.read(junk, Kernels.best()));
        assertEquals(OnnxException.Kind.MALFORMED, e.kind());
        assertTrue(e.getMessage().startsWith(junk + " is not an ONNX model"), e.getMessage());

        Path cut = directory.resolve("cut.onnx");
        byte[] whole = OnnxExport.toModel(RandomNetworks.of("DIGITS", 1)).toByteArray();
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertTrue(assertThrows(OnnxException.class, () -> OnnxImport.read(cut, Kernels.best())).getMessage()
                .contains("check that the file is complete"));

        Path empty = directory.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertTrue(assertThrows(OnnxException.class, () -> OnnxImport.read(empty, Kernels.best())).getMessage()
                .contains("(the file is empty)"));

        assertEquals(directory.resolve("none.onnx") + " does not exist", assertThrows(OnnxException.class,
                () -> OnnxImport.read(directory.resolve("none.onnx"), Kernels.best())).getMessage());
    }

    @Test
    void weightsOfTheWrongSizeAreMalformed() {
        ModelProto model = OnnxExport.toModel(RandomNetworks.of("in 4 | fc 3", 1));
        ModelProto broken = model.toBuilder().setGraph(model.getGraph().toBuilder()
                .setInitializer(0, Tensors.of("fc1.weight", new long[] {3, 5}, new float[15]))).build();

        OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.convert(broken, Map.of(), Kernels.best()));
        assertEquals("Gemm \"fc1\": the weight takes 5 inputs but its input has 4", e.getMessage());
    }
}
