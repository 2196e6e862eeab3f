package dev.framestream.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/** Tolerance comparisons that name the worst element on failure, and seeded random data. */
public final class Numerics {

    private Numerics() {
    }

    /**
     * The absolute error allowed a Winograd F(4x4, 3x3) convolution of fan-in {@code fanIn}
     * (channels x 9) on inputs and weights uniform in [-1, 1]. Its transforms scale values by up
     * to 100 and back, so it errs by up to about 1e-4 of the output's spread, sqrt(fanIn) / 3 here,
     * rather than by float rounding of the result: the accuracy of every fp32 F(4x4, 3x3). A wrong
     * transform errs by the whole spread.
     */
    public static double winogradTolerance(int fanIn) {
        return 1e-4 * Math.sqrt(fanIn) / 3;
    }

    /** Fails unless |actual - expected| <= abs + rel * |expected| everywhere; reports the worst element. */
    public static void assertClose(String what, double[] expected, float[] actual, int offset, double abs, double rel) {
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual[offset + i] - expected[i]);
            double excess = error - (abs + rel * Math.abs(expected[i]));
            if (!(excess <= worstExcess) || Double.isNaN(actual[offset + i])) {
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: element %d of %d is %s, expected %s (error %.3g, allowed %.3g abs + %.3g rel)",
                    what, worst, expected.length, actual[offset + worst], expected[worst],
                    Math.abs(actual[offset + worst] - expected[worst]), abs, rel));
        }
    }

    public static void assertClose(String what, float[] expected, float[] actual, double abs, double rel) {
        double[] wide = new double[expected.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = expected[i];
        }
        assertClose(what, wide, actual, 0, abs, rel);
    }

    public static float[] random(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    public static double[] widen(float[] values, int offset, int length) {
        double[] wide = new double[length];
        for (int i = 0; i < length; i++) {
            wide[i] = values[offset + i];
        }
        return wide;
    }
}
