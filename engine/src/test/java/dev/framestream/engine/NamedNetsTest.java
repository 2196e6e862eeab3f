package dev.framestream.engine;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;
import static dev.framestream.engine.Numerics.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;

/** The named networks: torchvision's layouts (counted by their weights), at other sizes, and run against float64. */
class NamedNetsTest {

    /**
     * Learnable values without the convolutions' biases, which torchvision's ResNet and MobileNet
     * leave out: the counts torchvision reports ({@code sum(p.numel() for p in model.parameters())}).
     * SqueezeNet's convolutions have biases in torchvision too, so all its values count.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"RESNET18,11689512,true", "MOBILENETV2,3504872,true", "SQUEEZENET11,1235496,false"})
    void torchvisionLayoutsHaveTorchvisionsWeights(String name, long torchvision, boolean withoutConvBiases) {
        Network net = Network.build(name);
        long count = 0;
        for (Layer layer : net.layers()) {
            for (var parameter : layer.parameters()) {
                boolean convBias = parameter.name().startsWith("conv") && parameter.name().endsWith(".bias");
                count += withoutConvBiases && convBias ? 0 : parameter.size();
            }
        }
        assertEquals(torchvision, count);
        assertEquals(new Shape(3, 224, 224), net.inputShape());
        assertEquals(1000, net.outputShape().size());
    }

    @Test
    void aNamedNetTakesAnInputSizeAndAClassCount() {
        ArchitectureSpec spec = ArchitectureSpec.of("resnet18 in 3x96x96 classes 7");
        assertEquals(new Shape(3, 96, 96), spec.input());
        Network net = Network.build(spec, Kernels.best());
        assertEquals(7, net.outputShape().size());
        assertEquals(new Shape(3, 32, 32), Network.build("RESNET8").inputShape());
        assertEquals(new Shape(1, 28, 28), Network.build("LENET5").inputShape());
        assertEquals(spec, ArchitectureSpec.parse(spec.toString()), "a named net's canonical text is a plain spec");
        assertEquals(4, Network.build(ArchitectureSpec.of("RESNET8", 4), Kernels.best()).outputShape().size(), "the data's classes");
        assertEquals(6, Network.build(ArchitectureSpec.of("RESNET8 classes 6", 4), Kernels.best()).outputShape().size(),
                "classes the text gives win");
        assertEquals(10, Network.build(ArchitectureSpec.of("DIGITS", 4), Kernels.best()).outputShape().size(), "DIGITS is fixed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchitectureSpec.of("MOBILENETV2 size 64"));
        assertTrue(e.getMessage().contains("\"in CxHxW\" and \"classes N\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ArchitectureSpec.of("LENET5 classes 1"));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    }

    /** Each at a small input, with random weights and batch statistics, against the same graph in float64. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"RESNET18 in 3x32x32 classes 10", "RESNET8 in 3x16x16 classes 5", "MOBILENETV2 in 3x32x32 classes 10",
            "SQUEEZENET11 in 3x48x48 classes 10", "LENET5"})
    void namedNetsMatchTheirFloat64Run(String name) {
        Network net = Network.build(ArchitectureSpec.of(name), Kernels.best());
        net.initialise(1);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (var parameter : net.parameters().values()) {
            if (parameter.dims().length == 1) {
                float[] values = random(random, parameter.size());
                for (int i = 0; i < values.length; i++) {
                    boolean aroundOne = parameter.name().endsWith(".running_var")
                            || parameter.name().startsWith("batchnorm") && parameter.name().endsWith(".weight");
                    values[i] = aroundOne ? 1f + values[i] / 4 : values[i] / 10;
                }
                net.setWeights(parameter.name(), values);
            }
        }
        int batch = 3;
        int size = net.inputShape().size();
        Tensor input = new Tensor(batch, net.inputShape(), random(random, batch * size));
        try (WorkerPool pool = new WorkerPool(2)) {
            Tensor output = net.newInference(pool, batch).forward(input);
            int classes = net.outputShape().size();
            for (int e = 0; e < batch; e++) {
                double[] expected = Float64Network.forward(net, net.layers().size(), widen(input.data(), e * size, size), e, null);
                assertClose(name + " example " + e, expected, output.data(), e * classes, 1e-5, 1e-3);
            }
        }
    }
}
