package dev.framestream.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.BatchNorm;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Tensor;

/**
 * ResNet-18, MobileNetV2 and SqueezeNet 1.1 as PyTorch's exporter writes torchvision's models
 * ({@link TorchStyleExport}) at opsets 9 to 17: the import takes them whole, layer for layer,
 * serves every batch norm folded into its convolution, and computes what the network computes.
 */
class TorchvisionImportTest {

    @ParameterizedTest(name = "{0} opset {1} view-flatten={2}")
    @CsvSource({
            "RESNET18 in 3x32x32 classes 10,11,true", "RESNET18 in 3x32x32 classes 10,17,false",
            "MOBILENETV2 in 3x32x32 classes 10,9,true", "MOBILENETV2 in 3x32x32 classes 10,13,true",
            "SQUEEZENET11 in 3x48x48 classes 10,13,false", "SQUEEZENET11 in 3x48x48 classes 10,11,true",
            "RESNET8,13,true", "LENET5,17,true"})
    void torchvisionExportsImportWholeAndComputeTheSame(String net, long opset, boolean viewFlatten) {
        ArchitectureSpec full = ArchitectureSpec.of(net);
        ArchitectureSpec logits = new ArchitectureSpec(full.input(), full.nodes().subList(0, full.nodes().size() - 1));
        Network original = Network.build(logits, Kernels.best());
        original.initialise(3);
        SplittableRandom random = new SplittableRandom(net.hashCode());
        List<LayerSpec> layers = logits.layers();
        for (int i = 0; i < layers.size(); i++) {
            String name = original.layers().get(i).name();
            if (layers.get(i) instanceof LayerSpec.BatchNorm) {
                original.setWeights(name + ".weight", around(random, 1f, 0.25, original.parameters().get(name + ".weight").size()));
                original.setWeights(name + ".bias", around(random, 0f, 0.1, original.parameters().get(name + ".bias").size()));
                original.setWeights(name + ".running_mean", around(random, 0f, 0.1, original.parameters().get(name + ".running_mean").size()));
                original.setWeights(name + ".running_var", around(random, 1f, 0.25, original.parameters().get(name + ".running_var").size()));
                String conv = original.layers().get(i - 1).name();
                original.setWeights(conv + ".bias", new float[original.parameters().get(conv + ".bias").size()]);
            }
        }

        Network imported = OnnxImport.convert(TorchStyleExport.of(original, opset, viewFlatten), Map.of(), Kernels.best()).network();

        assertEquals(layers.stream().filter(l -> !(l instanceof LayerSpec.Dropout)).map(Object::toString).toList(),
                imported.spec().layers().stream().map(Object::toString).toList(), "the same layers, dropout left out by the exporter");
        try (WorkerPool pool = new WorkerPool(1)) {
            assertTrue(imported.newInference(pool, 1).steps().stream().noneMatch(step -> step instanceof BatchNorm),
                    "every batch norm is folded into its convolution to serve");
        }
        Tensor batch = RandomNetworks.batch(original, 3, 11);
        float[] expected = RandomNetworks.forward(original, batch);
        float[] actual = RandomNetworks.forward(imported, batch);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 + 1e-4 * Math.abs(expected[i]), "logit " + i);
        }
    }

    private static float[] around(SplittableRandom random, float centre, double spread, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (centre + random.nextDouble(-spread, spread));
        }
        return values;
    }
}
