package dev.framestream.engine.kernels;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vector direct-convolution tile against its scalar oracle. */
class DirectConvTest {

    @ParameterizedTest(name = "taps={0} relu={1}")
    @CsvSource({"1,false", "9,true", "25,false", "27,true", "200,false", "200,true"})
    void vectorTileMatchesScalarOracle(int tapCount, boolean relu) {
        SplittableRandom random = new SplittableRandom(tapCount);
        float[] src = random(random, 4000);
        int[] taps = new int[tapCount];
        for (int t = 0; t < tapCount; t++) {
            taps[t] = random.nextInt(0, 3000);
        }
        float[] w = random(random, 5 + 2 * tapCount);
        float[] bias = random(random, 7);
        // Unaligned, overlapping windows and a repeated last vector, as a short last tile has.
        int[] windows = {99, 3, 11, 900, 900};
        int[] outputs = {99, 0, 9, 20, 20};
        int outPlane = 37;
        float[] expected = random(random, 5 + 2 * outPlane + 8);
        float[] actual = expected.clone();

        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        new ScalarDirectConv().tile(src, 17, windows, 1, taps, w, 5, bias, 2, expected, 5, outputs, 1, outPlane, floor);
        new VectorDirectConv().tile(src, 17, windows, 1, taps, w, 5, bias, 2, actual, 5, outputs, 1, outPlane, floor);

        assertClose("out", expected, actual, 1e-5, 1e-5);
    }

    @ParameterizedTest(name = "taps={0}")
    @CsvSource({"1", "9", "25", "200"})
    void vectorPooledTileMatchesScalarOracle(int tapCount) {
        SplittableRandom random = new SplittableRandom(tapCount + 1);
        float[] src = random(random, 4000);
        int[] taps = new int[tapCount];
        for (int t = 0; t < tapCount; t++) {
            taps[t] = random.nextInt(0, 3000);
        }
        float[] w = random(random, 5 + 2 * tapCount);
        float[] bias = random(random, 7);
        int[] windows = {99, 3, 40, 11, 52};         // top and bottom of two row pairs, from index 1
        int outPlane = 13;
        float[] expected = random(random, 3 + 2 * outPlane + 8);
        float[] actual = expected.clone();
        new ScalarDirectConv().tilePooled(src, 17, windows, 1, taps, w, 5, bias, 2, expected, 3, outPlane);
        new VectorDirectConv().tilePooled(src, 17, windows, 1, taps, w, 5, bias, 2, actual, 3, outPlane);
        assertClose("pooled out", expected, actual, 1e-5, 1e-5);
    }
}
