package dev.framestream.engine.kernels;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector direct-convolution tile against its scalar oracle, for the kernel width with its own
 * loop (5) and others, on unaligned, overlapping windows.
 */
class DirectConvTest {

    @ParameterizedTest(name = "rows={0} width={1} relu={2}")
    @CsvSource({"1,1,false", "3,3,true", "5,5,false", "9,3,true", "40,5,false", "40,5,true", "6,4,true", "2,7,false"})
    void vectorTileMatchesScalarOracle(int rowCount, int width, boolean relu) {
        SplittableRandom random = new SplittableRandom(rowCount * 31L + width);
        float[] src = random(random, 4000);
        int[] rows = randomRows(random, rowCount);
        float[] w = random(random, 5 + DirectConv.FILTERS * rowCount * width);
        float[] bias = random(random, 7);
        int outPlane = 37;
        float[] expected = random(random, 5 + 4 * outPlane + 8);
        float[] actual = expected.clone();

        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        // A short last tile repeats its vector: same window, same output.
        for (int[] vectors : new int[][] {{116, 20, 5, 14}, {917, 917, 25, 25}}) {
            new ScalarDirectConv().tile(src, vectors[0], vectors[1], rows, width, w, 5, bias, 2, expected, vectors[2], vectors[3], outPlane, floor);
            new VectorDirectConv().tile(src, vectors[0], vectors[1], rows, width, w, 5, bias, 2, actual, vectors[2], vectors[3], outPlane, floor);
        }
        assertClose("out", expected, actual, 1e-5, 1e-5);
    }

    @ParameterizedTest(name = "rows={0} width={1}")
    @CsvSource({"1,1", "3,3", "5,5", "40,5", "6,4"})
    void vectorPooledTileMatchesScalarOracle(int rowCount, int width) {
        SplittableRandom random = new SplittableRandom(rowCount * 37L + width);
        float[] src = random(random, 4000);
        int[] rows = randomRows(random, rowCount);
        float[] w = random(random, 5 + DirectConv.FILTERS * rowCount * width);
        float[] bias = random(random, 7);
        int outPlane = 13;
        float[] expected = random(random, 3 + 4 * outPlane + 4);
        float[] actual = expected.clone();
        new ScalarDirectConv().tilePooled(src, 116, 140, rows, width, w, 5, bias, 2, expected, 3, outPlane);
        new VectorDirectConv().tilePooled(src, 116, 140, rows, width, w, 5, bias, 2, actual, 3, outPlane);
        assertClose("pooled out", expected, actual, 1e-5, 1e-5);
    }

    private static int[] randomRows(SplittableRandom random, int count) {
        int[] rows = new int[count];
        for (int r = 0; r < count; r++) {
            rows[r] = random.nextInt(0, 3000);
        }
        return rows;
    }
}
