package dev.framestream.engine.kernels;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The vector Winograd transforms against their scalar oracle, on runs shorter and longer than a vector. */
class WinogradTransformTest {
    private final WinogradTransform scalar = new ScalarWinogradTransform();
    private final WinogradTransform vector = new VectorWinogradTransform();

    @ParameterizedTest(name = "tiles={0}")
    @ValueSource(ints = {1, 7, 8, 9, 16, 21})
    void vectorInputTransformMatchesScalar(int count) {
        SplittableRandom random = new SplittableRandom(count);
        int rowStride = 2 * (count + 1) + 3;      // the two halves and some slack, as a split row has
        float[] src = random(random, 5 + 4 * rowStride);
        int vStride = count + 5;
        float[] expected = random(random, 3 + 16 * vStride);
        float[] actual = expected.clone();

        scalar.input(src, 5, 5 + count + 1, rowStride, count, expected, 3, vStride);
        vector.input(src, 5, 5 + count + 1, rowStride, count, actual, 3, vStride);

        assertClose("V", expected, actual, 1e-6, 1e-6);
    }

    @ParameterizedTest(name = "tiles={0} columns={1} bottom={2} relu={3}")
    @CsvSource({"1,2,true,false", "1,1,false,true", "8,16,true,false", "8,15,true,true", "8,16,false,false",
            "13,26,true,true", "16,31,false,false", "16,32,true,true"})
    void vectorOutputTransformMatchesScalar(int count, int columns, boolean bottom, boolean relu) {
        SplittableRandom random = new SplittableRandom(count * 100L + columns);
        int mStride = count + 3;
        float[] m = random(random, 7 + 16 * mStride);
        int width = columns + 4;
        float[] expected = random(random, 2 + 2 * width);     // untouched floats must stay as they are
        float[] actual = expected.clone();

        scalar.output(m, 7, mStride, count, 0.25f, relu, expected, 2, bottom ? 2 + width : -1, columns);
        vector.output(m, 7, mStride, count, 0.25f, relu, actual, 2, bottom ? 2 + width : -1, columns);

        assertClose("Y", expected, actual, 1e-6, 1e-6);
    }

    @ParameterizedTest(name = "tiles={0}")
    @ValueSource(ints = {1, 7, 8, 9, 16})
    void vectorPooledOutputMatchesScalar(int count) {
        SplittableRandom random = new SplittableRandom(count);
        int mStride = count + 3;
        float[] m = random(random, 7 + 16 * mStride);
        float[] expected = random(random, 4 + count + 3);
        float[] actual = expected.clone();

        scalar.outputPooled(m, 7, mStride, count, -0.1f, expected, 4);
        vector.outputPooled(m, 7, mStride, count, -0.1f, actual, 4);

        assertClose("pooled", expected, actual, 1e-6, 1e-6);
    }
}
