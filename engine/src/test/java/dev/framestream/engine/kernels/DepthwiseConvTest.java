package dev.framestream.engine.kernels;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector 3x3 depthwise row and flat plane against their scalar oracle: strides with a vector
 * loop (1, 2) and without (3), widths below, at and between multiples of 8 and 16 (the two vector
 * widths), with and without the ReLU.
 */
class DepthwiseConvTest {

    @ParameterizedTest(name = "stride={0} width={1} relu={2}")
    @CsvSource({"1,1,false", "1,8,true", "1,17,false", "1,56,true", "1,112,false", "2,7,true", "2,8,false", "2,16,true",
            "2,28,false", "2,56,true", "3,9,false", "3,20,true", "1,14,true", "1,16,false", "1,33,true", "2,17,false", "2,33,true"})
    void vectorRowMatchesScalarOracle(int stride, int width, boolean relu) {
        SplittableRandom random = new SplittableRandom(stride * 101L + width);
        int rowStride = stride * width + 2 + 5;   // a zero-bordered row and a little more
        float[] src = random(random, 3 + 3 * rowStride + 16);
        float[] w = random(random, 4 + 9);
        float[] expected = random(random, 6 + width + 3);
        float[] actual = expected.clone();
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;

        new ScalarDepthwiseConv().row3x3(src, 3, rowStride, stride, w, 4, 0.25f, expected, 6, width, floor);
        new VectorDepthwiseConv().row3x3(src, 3, rowStride, stride, w, 4, 0.25f, actual, 6, width, floor);

        assertClose("row", expected, actual, 1e-5, 1e-5);
    }

    /**
     * The flat plane: outputs 7 and 14 wide (MobileNetV2's last stages) and below a vector, at
     * strides 1 and 2, as many positions as the layer asks for and its input holds.
     */
    @ParameterizedTest(name = "stride={0} width={1} height={2} relu={3}")
    @CsvSource({"1,1,1,false", "1,3,2,true", "1,5,5,false", "1,7,7,true", "1,14,14,false", "1,13,3,true", "1,6,9,false",
            "2,1,1,true", "2,4,3,false", "2,7,7,true", "2,14,14,false", "2,5,9,true"})
    void vectorFlatPlaneMatchesScalarOracle(int stride, int width, int height, boolean relu) {
        SplittableRandom random = new SplittableRandom(stride * 1009L + width * 31L + height);
        int rowStride = stride * (width - 1) + 3;  // the zero-bordered input of a padded layer, no wider
        int rows = stride * (height - 1) + 3;
        int positions = (height - 1) * rowStride + width;
        float[] src = random(random, 3 + rows * rowStride);
        float[] w = random(random, 4 + 9);
        float[] expected = random(random, 6 + positions + 3);
        float[] actual = expected.clone();
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;

        new ScalarDepthwiseConv().flat3x3(src, 3, rowStride, stride, w, 4, 0.25f, expected, 6, positions, floor);
        new VectorDepthwiseConv().flat3x3(src, 3, rowStride, stride, w, 4, 0.25f, actual, 6, positions, floor);

        assertClose("plane", expected, actual, 1e-5, 1e-5);
    }
}
