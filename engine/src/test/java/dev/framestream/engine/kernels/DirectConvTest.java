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
        int lanes = DirectConv.LANES;
        int outPlane = 2 * lanes + 21;
        float[] expected = random(random, 5 + 4 * outPlane + 2 * lanes);
        float[] actual = expected.clone();

        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        // A short last tile repeats its vector: same window, same output.
        for (int[] vectors : new int[][] {{116, 20, 5, 6 + lanes}, {917, 917, 25, 25}}) {
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
        // Room for whole vectors after the last store, and none: the tile stores at the array's end differently.
        for (int length : new int[] {3 + 4 * outPlane + DirectConv.LANES, 3 + 3 * outPlane + DirectConv.LANES / 2}) {
            float[] expected = random(random, length);
            float[] actual = expected.clone();
            float[] spill = new float[DirectConv.SPILL + 2];
            new ScalarDirectConv().tilePooled(src, 116, 140, rows, width, w, 5, bias, 2, expected, 3, outPlane, spill, 2);
            new VectorDirectConv().tilePooled(src, 116, 140, rows, width, w, 5, bias, 2, actual, 3, outPlane, spill, 2);
            assertClose("pooled out, length " + length, expected, actual, 1e-5, 1e-5);
        }
    }

    private static int[] randomRows(SplittableRandom random, int count) {
        int[] rows = new int[count];
        for (int r = 0; r < count; r++) {
            rows[r] = random.nextInt(0, 3000);
        }
        return rows;
    }
}
