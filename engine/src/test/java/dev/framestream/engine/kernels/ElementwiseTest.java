package dev.framestream.engine.kernels;

import static dev.framestream.engine.Numerics.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElementwiseTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 17, 100, 1023})
    void vectorReluMatchesScalarOnSizesThatAreNotMultiplesOfTheVector(int n) {
        float[] src = random(new SplittableRandom(n), n + 3);
        float[] expected = new float[n + 5];
        float[] actual = new float[n + 5];
        new ScalarElementwise().relu(src, 3, expected, 2, n);
        new VectorElementwise().relu(src, 3, actual, 2, n);
        assertArrayEquals(expected, actual);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 12, 16, 31})
    void vectorMaxPoolRowMatchesScalar(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] src = random(random, 5 + 4 * n + 3);
        float[] expected = random(random, n + 4);      // floats past the row must stay as they are
        float[] actual = expected.clone();
        new ScalarElementwise().maxPool2x2Row(src, 5, 5 + 2 * n + 1, expected, 2, n);
        new VectorElementwise().maxPool2x2Row(src, 5, 5 + 2 * n + 1, actual, 2, n);
        assertArrayEquals(expected, actual);
    }

    /** Both passes of a general pooling window, on runs that are and are not multiples of a vector, from one to five rows or columns deep. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 16, 17, 33, 111})
    void vectorPoolingPassesMatchScalar(int n) {
        ScalarElementwise scalar = new ScalarElementwise();
        VectorElementwise vector = new VectorElementwise();
        for (int depth = 1; depth <= 5; depth++) {
            SplittableRandom random = new SplittableRandom(31L * n + depth);
            int stride = n + 3;
            float[] src = random(random, 2 + depth * stride + 5);
            float[] expected = random(random, n + 4);      // floats past the run must stay as they are
            float[] actual = expected.clone();
            scalar.maxOverRows(src, 2, stride, depth, expected, 1, n);
            vector.maxOverRows(src, 2, stride, depth, actual, 1, n);
            assertArrayEquals(expected, actual, "max over " + depth + " rows");
            scalar.sumOverRows(src, 2, stride, depth, expected, 1, n);
            vector.sumOverRows(src, 2, stride, depth, actual, 1, n);
            assertArrayEquals(expected, actual, 1e-6f, "sum over " + depth + " rows");
            scalar.slidingMax(src, 3, depth, expected, 1, n);
            vector.slidingMax(src, 3, depth, actual, 1, n);
            assertArrayEquals(expected, actual, "max over " + depth + " columns");
            scalar.slidingSum(src, 3, depth, expected, 1, n);
            vector.slidingSum(src, 3, depth, actual, 1, n);
            assertArrayEquals(expected, actual, 1e-6f, "sum over " + depth + " columns");
        }
    }

    /** Every second float, on runs shorter than, at and past a vector, and on a run that ends at its array's last float. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 16, 17, 33, 55})
    void vectorCopyEvensMatchesScalar(int n) {
        SplittableRandom random = new SplittableRandom(n + 11);
        float[] src = random(random, 3 + 2 * n + 4);
        float[] expected = random(random, n + 5);       // floats past the run must stay as they are
        float[] actual = expected.clone();
        new ScalarElementwise().copyEvens(src, 3, expected, 2, n);
        new VectorElementwise().copyEvens(src, 3, actual, 2, n);
        assertArrayEquals(expected, actual);
        float[] ending = random(random, Math.max(1, 2 * n - 1));   // the last float copied is the array's last
        new ScalarElementwise().copyEvens(ending, 0, expected, 2, n);
        new VectorElementwise().copyEvens(ending, 0, actual, 2, n);
        assertArrayEquals(expected, actual);
    }

    /** A NaN in a window is its maximum, in both kernels, as Math.max has it. */
    @Test
    void vectorPoolingMaxKeepsNaN() {
        float[] src = random(new SplittableRandom(5), 64);
        src[20] = Float.NaN;
        float[] expected = new float[40];
        float[] actual = new float[40];
        new ScalarElementwise().slidingMax(src, 0, 3, expected, 0, 40);
        new VectorElementwise().slidingMax(src, 0, 3, actual, 0, 40);
        assertArrayEquals(expected, actual);
        assertTrue(Float.isNaN(actual[18]) && Float.isNaN(actual[20]) && !Float.isNaN(actual[21]));
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 17, 100, 1023})
    void vectorReluBackwardMatchesScalar(int n) {
        SplittableRandom random = new SplittableRandom(n + 1);
        float[] out = random(random, n + 4);
        out[Math.min(2, out.length - 1)] = 0f;          // exactly zero passes no gradient
        float[] gradOut = random(random, n + 4);
        float[] expected = random(random, n + 4);       // floats outside the run must stay as they are
        float[] actual = expected.clone();
        new ScalarElementwise().reluBackward(out, gradOut, expected, 2, n);
        new VectorElementwise().reluBackward(out, gradOut, actual, 2, n);
        assertArrayEquals(expected, actual);
    }

    /** Values from {0, 1, 2} make ties in most windows: the first maximum must win in both kernels. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 12, 16, 31, 32})
    void vectorMaxPoolRowBackwardMatchesScalarWithTies(int n) {
        SplittableRandom random = new SplittableRandom(n + 7);
        float[] in = new float[3 + 4 * n + 2];
        for (int i = 0; i < in.length; i++) {
            in[i] = random.nextInt(3);
        }
        int top = 3;
        int bottom = 3 + 2 * n + 1;
        float[] out = new float[n + 2];
        new ScalarElementwise().maxPool2x2Row(in, top, bottom, out, 1, n);
        float[] gradOut = random(random, n + 2);
        float[] expected = random(random, in.length);        // floats outside the two rows must stay as they are
        float[] actual = expected.clone();
        new ScalarElementwise().maxPool2x2RowBackward(in, top, bottom, out, gradOut, 1, expected, n);
        new VectorElementwise().maxPool2x2RowBackward(in, top, bottom, out, gradOut, 1, actual, n);
        assertArrayEquals(expected, actual);
        for (int i = 0; i < n; i++) {
            int x = 2 * i;
            float sum = expected[top + x] + expected[top + x + 1] + expected[bottom + x] + expected[bottom + x + 1];
            assertEquals(gradOut[1 + i], sum, "window " + i + " passes its gradient to exactly one input");
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 5, 8, 15, 16, 32})
    void vectorBiasClampMatchesScalar(int n) {
        SplittableRandom random = new SplittableRandom(n + 11);
        float[] src = random(random, n + 4);
        for (float[] bounds : new float[][] {{0f, Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, 0.5f}}) {
            float[] expected = random(random, n + 6);        // floats outside the run must stay as they are
            float[] actual = expected.clone();
            new ScalarElementwise().biasClamp(src, 3, 0.25f, bounds[0], bounds[1], expected, 2, n);
            new VectorElementwise().biasClamp(src, 3, 0.25f, bounds[0], bounds[1], actual, 2, n);
            assertArrayEquals(expected, actual);
        }
    }

    @ParameterizedTest(name = "bias={0}")
    @ValueSource(floats = {-0.5f, 0f, 0.5f})
    void vectorBiasReluPoolMatchesScalarAndTheWindows(float bias) {
        SplittableRandom random = new SplittableRandom(Float.floatToIntBits(bias));
        int half = Gemm.PANEL_WIDTH / 2;
        float[] src = random(random, 5 + 2 * half);
        // Room for a whole vector after the windows, and none: the vector kernel stores at the array's end differently.
        for (int length : new int[] {3 + 2 * half, 3 + half / 2}) {
            float[] expected = random(random, length);
            float[] actual = expected.clone();
            new ScalarElementwise().biasReluPoolRows(src.clone(), 5, bias, expected, 3);
            new VectorElementwise().biasReluPoolRows(src.clone(), 5, bias, actual, 3);
            assertArrayEquals(expected, actual, "length " + length);
            for (int i = 0; i < half / 2; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int at : new int[] {5 + 2 * i, 6 + 2 * i, 5 + half + 2 * i, 6 + half + 2 * i}) {
                    max = Math.max(max, src[at]);
                }
                assertEquals(Math.max(max + bias, 0f), expected[3 + i], "window " + i);
            }
        }
    }

    /** The activations' forward kernels, exact except the sigmoid, whose vector exp may round differently from Math.exp. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 17, 100, 1023})
    void vectorActivationsMatchScalar(int n) {
        SplittableRandom random = new SplittableRandom(n + 13);
        float[] src = random(random, n + 3);
        for (int i = 0; i < src.length; i++) {
            src[i] *= 8f;                                  // past ReLU6's upper bound and into the sigmoid's flat tails
        }
        Elementwise scalar = new ScalarElementwise();
        Elementwise vector = new VectorElementwise();
        float[] expected = random(random, n + 5);          // floats outside the run must stay as they are
        float[] actual = expected.clone();
        scalar.clip(src, 3, expected, 2, n, 0f, 6f);
        vector.clip(src, 3, actual, 2, n, 0f, 6f);
        assertArrayEquals(expected, actual, "clip 0 6");
        scalar.leakyRelu(src, 3, expected, 2, n, 0.1f);
        vector.leakyRelu(src, 3, actual, 2, n, 0.1f);
        assertArrayEquals(expected, actual, "leakyrelu 0.1");
        scalar.sigmoid(src, 3, expected, 2, n);
        vector.sigmoid(src, 3, actual, 2, n);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2 * Math.ulp(expected[i]), "sigmoid at " + i);
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 17, 100, 1023})
    void vectorActivationBackwardsMatchScalar(int n) {
        SplittableRandom random = new SplittableRandom(n + 17);
        float[] out = random(random, n + 4);
        out[Math.min(2, out.length - 1)] = 0f;            // exactly on a bound passes no clip gradient
        out[Math.min(3, out.length - 1)] = 0.5f;
        float[] gradOut = random(random, n + 4);
        Elementwise scalar = new ScalarElementwise();
        Elementwise vector = new VectorElementwise();
        float[] expected = random(random, n + 4);
        float[] actual = expected.clone();
        scalar.clipBackward(out, gradOut, expected, 2, n, 0f, 0.5f);
        vector.clipBackward(out, gradOut, actual, 2, n, 0f, 0.5f);
        assertArrayEquals(expected, actual, "clip");
        scalar.leakyReluBackward(out, gradOut, expected, 2, n, 0.1f);
        vector.leakyReluBackward(out, gradOut, actual, 2, n, 0.1f);
        assertArrayEquals(expected, actual, "leaky ReLU");
        scalar.sigmoidBackward(out, gradOut, expected, 2, n);
        vector.sigmoidBackward(out, gradOut, actual, 2, n);
        assertArrayEquals(expected, actual, "sigmoid");
    }

    /** The batch normalisation's kernels: exact, since both round the same operations in the same order. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 17, 100, 1023})
    void vectorBatchNormKernelsMatchScalar(int n) {
        SplittableRandom random = new SplittableRandom(n + 23);
        float[] in = random(random, n + 4);
        float[] gradOut = random(random, n + 4);
        Elementwise scalar = new ScalarElementwise();
        Elementwise vector = new VectorElementwise();
        float[] expected = random(random, n + 5);
        float[] actual = expected.clone();
        scalar.scaleShift(in, 3, 1.7f, -0.3f, expected, 2, n);
        vector.scaleShift(in, 3, 1.7f, -0.3f, actual, 2, n);
        assertArrayEquals(expected, actual, "scale and shift");
        scalar.batchNormBackward(in, gradOut, expected, 2, n, 0.1f, 1.3f, 0.9f, 0.05f, -0.2f);
        vector.batchNormBackward(in, gradOut, actual, 2, n, 0.1f, 1.3f, 0.9f, 0.05f, -0.2f);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2 * Math.ulp(Math.abs(expected[i]) + 1f), "batch norm backward at " + i);
        }
    }

    /** A grouped convolution's row kernels: axpy exact, the dot within the rounding of its partial sums. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 17, 100, 1023})
    void vectorAxpyAndDotMatchScalar(int n) {
        SplittableRandom random = new SplittableRandom(n + 29);
        float[] a = random(random, n + 3);
        float[] b = random(random, n + 5);
        float[] expected = random(random, n + 4);
        float[] actual = expected.clone();
        new ScalarElementwise().axpy(a, 3, -0.7f, expected, 1, n);
        new VectorElementwise().axpy(a, 3, -0.7f, actual, 1, n);
        assertArrayEquals(expected, actual, "axpy");
        double exact = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) a[3 + i] * b[5 + i];
        }
        assertEquals(exact, new ScalarElementwise().dot(a, 3, b, 5, n), 1e-6 * n);
        assertEquals(exact, new VectorElementwise().dot(a, 3, b, 5, n), 1e-6 * n);
    }

    /** Sums of 1023 values in [-1, 1) in different orders agree to a few float32 roundings of the partial sums. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 8, 9, 17, 100, 1023})
    void vectorSumMatchesScalar(int n) {
        float[] src = random(new SplittableRandom(n + 19), n + 3);
        double exact = 0;
        for (int i = 3; i < n + 3; i++) {
            exact += src[i];
        }
        assertEquals(exact, new ScalarElementwise().sum(src, 3, n), 1e-6 * n);
        assertEquals(exact, new VectorElementwise().sum(src, 3, n), 1e-6 * n);
    }

    /**
     * The vector pooled epilogue's max is MAXPS's (see {@link VectorElementwise#biasReluPoolRows}): a
     * window passes a NaN on only from its top-left pixel.
     */
    @Test
    void theVectorPooledEpiloguePassesANaNOnOnlyFromAWindowsTopLeft() {
        float nan = Float.NaN;
        float[] top = {nan, 1f, 2f, nan, 4f, 5f, 6f, 7f};      // NaN at window 0's top-left, window 1's top-right
        float[] bottom = {3f, 2f, 1f, 9f, nan, 1f, -5f, -6f};  // NaN at window 2's bottom-left
        int half = Gemm.PANEL_WIDTH / 2;
        float[] src = new float[2 * half];
        System.arraycopy(top, 0, src, 0, top.length);
        System.arraycopy(bottom, 0, src, half, bottom.length);
        float[] actual = new float[half / 2];
        new VectorElementwise().biasReluPoolRows(src, 0, 0.5f, actual, 0);
        assertTrue(Float.isNaN(actual[0]), "window 0");
        assertFalse(Float.isNaN(actual[1]), "window 1: " + actual[1]);
        assertEquals(5.5f, actual[2], "window 2");
        assertEquals(7.5f, actual[3], "window 3");
    }
}
