package dev.framestream.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;

class NetworkTest {

    @Test
    void digitsHasTheShapesAndParametersOfDesign() {
        Network net = Network.build("DIGITS");
        assertEquals(new Shape(1, 28, 28), net.inputShape());
        assertEquals(Shape.flat(10), net.outputShape());
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(net.parameters().keySet()));
        assertEquals("256", net.layers().get(6).outputShape().toString(), "flatten gives FC 256->128 as in docs/design.md");
        assertEquals(8 * 25 + 8 + 16 * 200 + 16 + 256 * 128 + 128 + 128 * 10 + 10,
                net.parameters().values().stream().mapToInt(p -> p.size()).sum());
    }

    @Test
    void cameraFlattensTo8192() {
        Network net = Network.build("camera");
        assertEquals("8192", net.layers().get(9).outputShape().toString());
        // conv 7.08 + 37.7 + 37.7 MFLOP, fc 4.19 + 0.005 MFLOP per frame
        assertEquals(86_774_784L, net.flopsPerExample());
    }

    @Test
    void seededInitialisationIsRepeatableAndScaledByFanIn() {
        Network a = Network.build("DIGITS");
        Network b = Network.build("DIGITS");
        a.initialise(1);
        b.initialise(1);
        assertArrayEquals(a.weights("conv2.weight"), b.weights("conv2.weight"));
        b.initialise(2);
        assertNotEquals(a.weights("conv2.weight")[0], b.weights("conv2.weight")[0]);
        // He: std sqrt(2 / 200) = 0.1 for conv2 (fan-in 8x5x5)
        float[] w = a.weights("conv2.weight");
        double sumSquares = 0;
        for (float v : w) {
            sumSquares += v * v;
        }
        double std = Math.sqrt(sumSquares / w.length);
        assertTrue(Math.abs(std - 0.1) < 0.01, "He std " + std);
        assertArrayEquals(new float[16], a.weights("conv2.bias"));
    }

    @Test
    void setWeightsRejectsWrongLengthAndUnknownNames() {
        Network net = Network.build("DIGITS");
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class,
                () -> net.setWeights("conv1.weight", new float[7]));
        assertTrue(wrongLength.getMessage().contains("8x1x5x5 = 200 values, got 7"), wrongLength.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> net.setWeights("conv9.weight", new float[7]));
        assertTrue(unknown.getMessage().contains("conv1.weight"), unknown.getMessage());
    }

    @Test
    void shapeErrorsNameTheLayerAndBothShapes() {
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> Network.build(ArchitectureSpec.parse("in 1x8x8 | conv 4 5x5 | maxpool 2 | conv 4 5x5"), Kernels.scalar()));
        assertTrue(tooSmall.getMessage().contains("conv2 (conv 4 5x5) does not fit its input 4x2x2"), tooSmall.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> Network.build(ArchitectureSpec.parse("in 1x8x8 | flatten | conv 4 3x3"), Kernels.scalar()));
        assertTrue(flat.getMessage().contains("conv1 (conv 4 3x3) needs an image input"), flat.getMessage());
    }

    @Test
    void forwardRejectsAnInputOfTheWrongShape() {
        Network net = Network.build("DIGITS");
        try (WorkerPool pool = new WorkerPool(1)) {
            Inference inference = net.newInference(pool, 2);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> inference.forward(Tensor.zeros(2, new Shape(3, 28, 28))));
            assertTrue(error.getMessage().contains("input 3x28x28 does not match the network input 1x28x28"), error.getMessage());
        }
    }

    @Test
    void inferenceGrowsForALargerBatchAndKeepsResultsPerExample() {
        Network net = Network.build("DIGITS");
        net.initialise(3);
        try (WorkerPool pool = new WorkerPool(2)) {
            Inference inference = net.newInference(pool, 1);
            Tensor one = Tensor.zeros(1, net.inputShape());
            java.util.Arrays.fill(one.data(), 0.5f);
            float[] single = inference.forward(one).example(0);
            Tensor many = Tensor.zeros(9, net.inputShape());
            java.util.Arrays.fill(many.data(), 0.5f);
            Tensor out = inference.forward(many);
            assertEquals(9, inference.capacity());
            for (int n = 0; n < 9; n++) {
                assertArrayEquals(single, out.example(n), 1e-6f, "example " + n + " of a batch equals the batch of one");
            }
        }
    }
}
