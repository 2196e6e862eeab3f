package dev.framestream.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.framestream.engine.Network;
import dev.framestream.onnx.OnnxExport;

/** Our exported networks, chains and graphs, run in ONNX Runtime and OpenCV DNN and give the engine's probabilities. */
class PeersAgreeTest {

    @ParameterizedTest
    @ValueSource(strings = {"DIGITS", "CAMERA",
            // Graphs: two residual blocks (one with a strided 1x1 shortcut) and a fire module.
            "in 3x12x12 | conv 8 3x3 pad 1 | relu as x | conv 8 3x3 pad 1 | relu | conv 8 3x3 pad 1 | add x | relu as y"
                    + " | conv 12 3x3 stride 2 pad 1 | relu | conv 12 3x3 pad 1 as main | from y conv 12 1x1 stride 2 | add main"
                    + " | relu | avgpool 6 | flatten | fc 10 | softmax",
            "in 3x12x12 | conv 8 3x3 pad 1 | relu | conv 4 1x1 | relu as s | conv 6 1x1 | relu as e1"
                    + " | from s conv 6 3x3 pad 1 | relu as e3 | concat e1 e3 | maxpool 2 | flatten | fc 10 | softmax",
            // The other activations, padded and ceil-mode pooling (last windows cut short) and a global average.
            "in 3x23x23 | conv 8 3x3 stride 2 | relu6 | maxpool 3 stride 2 pad 1 | conv 8 1x1 | leakyrelu 0.1"
                    + " | maxpool 3 stride 2 ceil | conv 6 1x1 | sigmoid | avgpool 2 ceil | conv 6 1x1 | clip -0.5 0.5 | globalavgpool"
                    + " | flatten | fc 10 | softmax",
            // Batch norms, exported with their running averages: after convolutions, after a sum, after an fc.
            "in 3x12x12 | conv 8 3x3 pad 1 | batchnorm | relu as x | conv 8 3x3 pad 1 | batchnorm eps 0.001 | add x | batchnorm"
                    + " | relu | globalavgpool | flatten | fc 12 | batchnorm | relu | fc 10 | softmax",
            // MobileNetV2's inverted residual: 1x1 expansion, depthwise 3x3 (one strided), 1x1 projection; and two groups.
            "in 3x16x16 | conv 8 3x3 stride 2 pad 1 | batchnorm | relu6 | conv 8 3x3 pad 1 groups 8 | batchnorm | relu6 | conv 8 1x1"
                    + " | batchnorm as p | conv 24 1x1 | batchnorm | relu6 | conv 24 3x3 pad 1 groups 24 | batchnorm | relu6"
                    + " | conv 8 1x1 | batchnorm | add p | conv 16 3x3 stride 2 pad 1 groups 8 | relu | conv 16 1x1 groups 2"
                    + " | globalavgpool | flatten | fc 10 | softmax"})
    void onnxRuntimeAndOpenCvDnnComputeWhatTheEngineComputes(String net) throws Exception {
        Network network = Network.build(net);
        network.initialise(7);
        SplittableRandom random = new SplittableRandom(7);
        for (String name : network.parameters().keySet()) {
            if (name.startsWith("batchnorm")) {
                float[] values = new float[network.parameters().get(name).size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (name.endsWith(".running_var") ? random.nextDouble(0.5, 1.5) : random.nextDouble(-1, 1));
                }
                network.setWeights(name, values);
            } else if (name.endsWith(".bias")) {
                float[] bias = new float[network.parameters().get(name).size()];
                for (int i = 0; i < bias.length; i++) {
                    bias[i] = (float) random.nextDouble(-0.2, 0.2);
                }
                network.setWeights(name, bias);
            }
        }
        byte[] onnx = OnnxExport.toModel(network).toByteArray();
        int batch = 5;
        float[] input = new float[batch * network.inputShape().size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextDouble(-1, 1);
        }
        float[] ours = outputOf(new EngineRuntime(network, 2), input, batch);
        int outputs = network.outputShape().size();

        float[] onnxRuntime = outputOf(new OnnxRuntimeRuntime(onnx, network.inputShape(), outputs, 2), input, batch);
        float[] openCv = outputOf(new OpenCvDnnRuntime(onnx, network.inputShape(), 2), input, batch);

        assertEquals(batch * outputs, ours.length);
        assertTrue(CompareBenchmark.maxDifference(ours, onnxRuntime, "onnxruntime") <= 1e-5,
                "onnxruntime differs by " + CompareBenchmark.maxDifference(ours, onnxRuntime, "onnxruntime"));
        assertTrue(CompareBenchmark.maxDifference(ours, openCv, "opencv") <= 1e-5,
                "opencv-dnn differs by " + CompareBenchmark.maxDifference(ours, openCv, "opencv"));
        // The outputs are probabilities that differ between examples: agreement is not two constant vectors.
        assertTrue(Math.abs(ours[0] - ours[outputs]) > 1e-4 || Math.abs(ours[1] - ours[outputs + 1]) > 1e-4);
    }

    private static float[] outputOf(Runtime runtime, float[] input, int batch) throws Exception {
        try (runtime) {
            runtime.prepare(input, batch);
            runtime.run();
            return runtime.output();
        }
    }
}
