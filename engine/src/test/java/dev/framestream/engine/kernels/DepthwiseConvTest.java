package dev.framestream.engine.kernels;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector 3x3 depthwise row against its scalar oracle: strides with a vector loop (1, 2) and
 * without (3), widths below, at and between multiples of 8 and 16 (the two vector widths), with and without the ReLU.
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
}
