package dev.framestream.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.tensor.Tensor;

class OnnxRoundTripTest {

    @TempDir
    Path directory;

    /** Export, then import: the same spec, bit-identical weights, the same outputs. */
    @ParameterizedTest
    @ValueSource(strings = {"DIGITS", "CAMERA",
            "in 3x20x20 | conv 6 3x3 stride 2 pad 1 | relu | avgpool 3 stride 2 | flatten | dropout 0.25 | fc 7 | softmax",
            "in 2x9x9 | conv 4 1x3 pad 1 | maxpool 2 stride 1 | conv 3 3x3 | relu | flatten | fc 5",
            "in 12 | fc 6 | relu | fc 3 | softmax",
            "in 3x15x15 | conv 6 3x3 stride 2 | relu6 | maxpool 3 stride 1 pad 1 | conv 6 1x1 | clip -1 0.5 | leakyrelu 0.1"
                    + " | avgpool 2 ceil | conv 4 1x1 | sigmoid | globalavgpool | flatten | fc 5 | softmax",
            "in 4x9x9 | conv 8 3x3 pad 1 groups 4 | relu6 | conv 8 3x3 stride 2 groups 8 | conv 4 1x1 groups 2 | flatten | fc 3"})
    void exportThenImportGivesTheSameNetwork(String spec) throws Exception {
        Network original = RandomNetworks.of(spec, 11);
        Path file = directory.resolve("model.onnx");
        OnnxExport.write(original, file);

        OnnxModel imported = OnnxImport.read(file, Kernels.best());

        Network copy = imported.network();
        assertEquals(original.spec(), copy.spec());
        assertEquals(OnnxExport.INPUT, imported.inputName());
        assertEquals(OnnxExport.OUTPUT, imported.outputName());
        assertEquals(OnnxExport.OPSET, imported.opset());
        for (String name : original.parameters().keySet()) {
            assertArrayEquals(original.weights(name), copy.weights(name), name);
        }
        Tensor batch = RandomNetworks.batch(original, 3, 5);
        assertArrayEquals(RandomNetworks.forward(original, batch), RandomNetworks.forward(copy, batch));
        // And once more: the re-exported model is the same bytes.
        assertArrayEquals(OnnxExport.toModel(original).toByteArray(), OnnxExport.toModel(copy).toByteArray());
    }

    /** A graph comes back with the same layers, wiring and weights (names of values are the import's own). */
    @ParameterizedTest
    @ValueSource(strings = {
            "in 3x12x12 | conv 8 3x3 pad 1 | relu as x | conv 8 3x3 pad 1 | relu | conv 8 3x3 pad 1 | add x | relu as y"
                    + " | conv 12 3x3 stride 2 pad 1 | relu | conv 12 3x3 pad 1 as main | from y conv 12 1x1 stride 2 | add main"
                    + " | relu | avgpool 6 | flatten | fc 10 | softmax",
            "in 3x12x12 | conv 8 3x3 pad 1 | relu | conv 4 1x1 | relu as s | conv 6 1x1 | relu as e1"
                    + " | from s conv 6 3x3 pad 1 | relu as e3 | concat e1 e3 | maxpool 2 | flatten | fc 10 | softmax",
            "in 2x6x6 | conv 2 3x3 pad 1 | relu | add in | flatten | fc 3"})
    void aGraphComesBackWiredTheSame(String spec) {
        Network original = RandomNetworks.of(spec, 13);

        Network copy = OnnxImport.convert(OnnxExport.toModel(original), Map.of(), Kernels.best()).network();

        assertSameNetwork(original, copy);
    }

    /** Batch normalisations export as BatchNormalization with their running averages and come back as they were. */
    @org.junit.jupiter.api.Test
    void batchNormalisationsComeBackWithTheirRunningAverages() {
        Network original = RandomNetworks.of("in 3x8x8 | conv 4 3x3 pad 1 | batchnorm | relu as a | conv 4 3x3 pad 1 | add a"
                + " | batchnorm eps 0.001 momentum 0.2 | relu | globalavgpool | flatten | fc 5 | batchnorm | fc 3", 17);
        java.util.SplittableRandom random = new java.util.SplittableRandom(18);
        for (var parameter : original.parameters().values()) {
            if (parameter.name().startsWith("batchnorm")) {
                float[] values = new float[parameter.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (parameter.name().endsWith("running_var") ? random.nextDouble(0.5, 1.5) : random.nextDouble(-1, 1));
                }
                original.setWeights(parameter.name(), values);
            }
        }

        Network copy = OnnxImport.convert(OnnxExport.toModel(original), Map.of(), Kernels.best()).network();

        assertSameNetwork(original, copy);
    }

    /** An fc straight after an image gets a Flatten in ONNX (Gemm takes matrices); importing shows it. */
    @ParameterizedTest
    @ValueSource(strings = {"in 2x6x6 | conv 3 3x3 | fc 4 | softmax"})
    void anImplicitFlattenComesBackExplicit(String spec) {
        Network original = RandomNetworks.of(spec, 3);

        Network copy = OnnxImport.convert(OnnxExport.toModel(original), Map.of(), Kernels.best()).network();

        assertEquals("in 2x6x6 | conv 3 3x3 | flatten | fc 4 | softmax", copy.spec().toString());
        Tensor batch = RandomNetworks.batch(original, 2, 9);
        assertArrayEquals(RandomNetworks.forward(original, batch), RandomNetworks.forward(copy, batch));
    }

    /** The same layers wired the same way, the same weights, the same outputs for a batch. */
    private static void assertSameNetwork(Network original, Network copy) {
        assertEquals(original.spec().nodes().stream().map(n -> n.layer() + " " + n.inputs()).toList(),
                copy.spec().nodes().stream().map(n -> n.layer() + " " + n.inputs()).toList());
        for (String name : original.parameters().keySet()) {
            assertArrayEquals(original.weights(name), copy.weights(name), name);
        }
        Tensor batch = RandomNetworks.batch(original, 3, 5);
        assertArrayEquals(RandomNetworks.forward(original, batch), RandomNetworks.forward(copy, batch));
    }
}
