package dev.framestream.engine.kernels;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;
import static dev.framestream.engine.kernels.WinogradTransform.POSITIONS;
import static dev.framestream.engine.kernels.WinogradTransform.TILES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Winograd F(4x4, 3x3) transforms: the scalar one against the definition (the transforms of a
 * 3x3 kernel and a window give back the window's correlation), the vector one against the scalar.
 * Transformed values reach 100x the inputs, so the two orders of summation differ by up to ~1e-5.
 */
class WinogradTransformTest {
    private final WinogradTransform scalar = new ScalarWinogradTransform();
    private final WinogradTransform vector = new VectorWinogradTransform();

    /** 1 to 37 tiles: whole vectors of tiles (8 or 16) and single tiles, in every mix. */
    @ParameterizedTest(name = "{0} tiles")
    @ValueSource(ints = {1, 3, 4, 5, 8, 11, 12, 13, 16, 17, 24, 32, 37})
    void vectorSpreadDealsEveryFourthFloatToItsPhaseAsTheScalarOneDoes(int tiles) {
        SplittableRandom random = new SplittableRandom(tiles);
        float[] row = random(random, 3 + 4 * tiles + 2);
        int[] phaseRows = new int[6];
        for (int j = 0; j < 6; j++) {
            phaseRows[j] = (5 - j) * (tiles + 1);   // phases in reverse order, a float apart, after dstOff 5
        }
        float[] expected = random(random, 5 + 6 * (tiles + 1) + 3);
        float[] actual = expected.clone();
        scalar.spread(row, 3, tiles, expected, 5, phaseRows);
        vector.spread(row, 3, tiles, actual, 5, phaseRows);
        for (int j = 0; j < 6; j++) {
            for (int tc = 0; tc < tiles; tc++) {
                assertEquals(row[3 + 4 * tc + j], expected[5 + phaseRows[j] + tc], "scalar phase " + j + " tile " + tc);
            }
        }
        // Bit for bit, and nothing written outside the phases' rows.
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }

    @Test
    void transformsComputeTheCorrelationOfEachWindow() {
        SplittableRandom random = new SplittableRandom(7);
        float[] src = random(random, 36 * TILES);
        int[] window = new int[36];
        for (int cell = 0; cell < 36; cell++) {
            window[cell] = cell * TILES;
        }
        float[] kernel = random(random, 9);
        float[] v = new float[POSITIONS * TILES];
        scalar.input(src, 0, window, v, 0, TILES);
        float[] m = new float[POSITIONS * TILES];
        for (int xi = 0; xi < POSITIONS; xi++) {
            double u = 0;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    u += WinogradTransform.G[xi / 6][i] * kernel[3 * i + j] * WinogradTransform.G[xi % 6][j];
                }
            }
            for (int t = 0; t < TILES; t++) {
                m[xi * TILES + t] = (float) u * v[xi * TILES + t];
            }
        }
        float[] y = new float[16 * TILES];
        scalar.output(m, 0, TILES, y, 0);
        for (int t = 0; t < TILES; t++) {
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) {
                    double expected = 0;
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            expected += kernel[3 * i + j] * src[(6 * (a + i) + b + j) * TILES + t];
                        }
                    }
                    assertEquals(expected, y[(4 * a + b) * TILES + t], 2e-5, "tile " + t + " output (" + a + ", " + b + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(ints = {1, 2, 3})
    void vectorInputTransformMatchesScalar(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // Cells scattered over the source, as the layout's planes are, with some slack past each.
        int[] window = new int[36];
        for (int cell = 0; cell < 36; cell++) {
            window[cell] = cell * (TILES + 3) + random.nextInt(3);
        }
        float[] src = random(random, 5 + 36 * (TILES + 3) + 3);
        int vStride = 3 * TILES + 5;
        float[] expected = random(random, 3 + POSITIONS * vStride);
        float[] actual = expected.clone();

        scalar.input(src, 5, window, expected, 3, vStride);
        vector.input(src, 5, window, actual, 3, vStride);

        assertClose("V", expected, actual, 2e-5, 1e-6);
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(ints = {1, 2, 3})
    void vectorOutputTransformsMatchScalar(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int mStride = TILES + 3;
        float[] m = random(random, 7 + POSITIONS * mStride);
        float[] expected = random(random, 2 + 16 * TILES + 5);   // untouched floats must stay as they are
        float[] actual = expected.clone();

        scalar.output(m.clone(), 7, mStride, expected, 2);
        vector.output(m.clone(), 7, mStride, actual, 2);
        assertClose("Y", expected, actual, 2e-5, 1e-6);

        scalar.outputPooled(m.clone(), 7, mStride, expected, 2);
        vector.outputPooled(m.clone(), 7, mStride, actual, 2);
        // The pooled rows; the other 12 are the transform's scratch.
        assertClose("pooled Y", Arrays.copyOfRange(expected, 2, 2 + 4 * TILES), Arrays.copyOfRange(actual, 2, 2 + 4 * TILES), 2e-5, 1e-6);
    }
}
