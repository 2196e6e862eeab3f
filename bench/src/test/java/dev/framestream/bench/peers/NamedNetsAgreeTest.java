package dev.framestream.bench.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.onnx.OnnxExport;
import dev.framestream.onnx.OnnxImport;

/**
 * The named nets at their full sizes, seeded weights and batch statistics, exported by the
 * project and run by ONNX Runtime: the logits agree to 1e-4 of their scale, and importing the
 * same file gives back the same network.
 */
class NamedNetsAgreeTest {

    @ParameterizedTest
    @ValueSource(strings = {"RESNET18", "MOBILENETV2", "SQUEEZENET11", "LENET5", "RESNET8"})
    void onnxRuntimeComputesTheNamedNetsLogitsAndTheImportIsTheSameNetwork(String name) throws Exception {
        ArchitectureSpec full = ArchitectureSpec.of(name);
        Network network = Network.build(new ArchitectureSpec(full.input(), full.nodes().subList(0, full.nodes().size() - 1)),
                Kernels.best());
        network.initialise(7);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (var parameter : network.parameters().values()) {
            if (parameter.dims().length == 1) {
                float[] values = new float[parameter.size()];
                boolean aroundOne = parameter.name().endsWith(".running_var")
                        || parameter.name().startsWith("batchnorm") && parameter.name().endsWith(".weight");
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (aroundOne ? random.nextDouble(0.75, 1.25) : random.nextDouble(-0.1, 0.1));
                }
                network.setWeights(parameter.name(), values);
            }
        }
        byte[] onnx = OnnxExport.toModel(network).toByteArray();
        int batch = 2;
        float[] input = new float[batch * network.inputShape().size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextDouble(-1, 1);
        }
        int outputs = network.outputShape().size();

        float[] ours = outputOf(new EngineRuntime(network, 2), input, batch);
        float[] onnxRuntime = outputOf(new OnnxRuntimeRuntime(onnx, network.inputShape(), outputs, 2), input, batch);

        assertEquals(batch * outputs, ours.length);
        double scale = 0;
        for (float v : onnxRuntime) {
            scale = Math.max(scale, Math.abs(v));
        }
        double difference = CompareBenchmark.maxDifference(ours, onnxRuntime, "onnxruntime");
        assertTrue(difference <= 1e-4 * scale, name + ": onnxruntime differs by " + difference + " on logits up to " + scale);
        assertTrue(Math.abs(ours[0] - ours[outputs]) > 1e-4 * scale, "the two examples' logits differ");

        Network imported = OnnxImport.convert(OnnxExport.toModel(network), Map.of(), Kernels.best()).network();
        assertEquals(network.spec().nodes().stream().map(n -> n.layer() + " " + n.inputs()).toList(),
                imported.spec().nodes().stream().map(n -> n.layer() + " " + n.inputs()).toList());
        for (String tensor : network.parameters().keySet()) {
            assertArrayEquals(network.weights(tensor), imported.weights(tensor), tensor);
        }
    }

    private static float[] outputOf(Runtime runtime, float[] input, int batch) throws Exception {
        try (runtime) {
            runtime.prepare(input, batch);
            runtime.run();
            return runtime.output();
        }
    }
}
