package dev.framestream.engine.kernels;

import static dev.framestream.engine.Numerics.assertClose;
import static dev.framestream.engine.Numerics.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vector GEMM kernel against the scalar oracle, on every panel height, width and start mode. */
class GemmTest {

    static Stream<Arguments> cases() {
        return Stream.of(4, 6).flatMap(main -> Stream.of(1, 2, 4, 6)
                .filter(h -> h != 6 || main == 6)
                .flatMap(h -> Stream.of(1, 3, 27, 300).flatMap(depth -> Stream.of(true, false)
                        .map(add -> Arguments.of(main, h, depth, add)))));
    }

    @ParameterizedTest(name = "vector{0} rows={1} depth={2} add={3}")
    @MethodSource("cases")
    void vectorKernelMatchesScalarOracle(int main, int rows, int depth, boolean add) {
        SplittableRandom random = new SplittableRandom(31L * rows + depth);
        float[] a = random(random, rows * depth + 3);
        float[] b = random(random, depth * Gemm.PANEL_WIDTH + 5);
        int ldc = Gemm.PANEL_WIDTH + 5;
        float[] expected = random(random, 2 + rows * ldc);
        float[] actual = expected.clone();

        new ScalarGemm().multiply(a, 3, rows, b, 5, depth, expected, 2, ldc, add);
        new VectorGemm(main).multiply(a, 3, rows, b, 5, depth, actual, 2, ldc, add);
        if (!add) {
            // Written over, not added to: the same block computed into zeros.
            float[] zeroed = actual.clone();
            for (int i = 0; i < rows; i++) {
                java.util.Arrays.fill(zeroed, 2 + i * ldc, 2 + i * ldc + Gemm.PANEL_WIDTH, 0f);
            }
            new ScalarGemm().multiply(a, 3, rows, b, 5, depth, zeroed, 2, ldc, true);
            assertClose("C written over against C added to zeros", zeroed, expected, 0, 0);
        }

        // Elements outside the block must be untouched: compare the whole array.
        assertClose("C", expected, actual, 1e-5, 1e-5);
        for (int i = 0; i < actual.length; i++) {
            boolean inBlock = i >= 2 && (i - 2) / ldc < rows && (i - 2) % ldc < Gemm.PANEL_WIDTH;
            if (!inBlock) {
                assertEquals(expected[i], actual[i], "element " + i + " outside the block changed");
            }
        }
    }

    static Stream<Arguments> driverCases() {
        return Stream.of("scalar", "vector4", "vector6").flatMap(kernels -> Stream.of(GemmDriver.Init.values())
                .flatMap(init -> Stream.of(1, 9, Gemm.PANEL_WIDTH - 1, Gemm.PANEL_WIDTH).flatMap(cols -> Stream.of(1, 5, 13)
                        .flatMap(rows -> Stream.of(7, 600).map(depth -> Arguments.of(kernels, init, cols, rows, depth))))));
    }

    @ParameterizedTest(name = "{0} {1} cols={2} rows={3} depth={4}")
    @MethodSource("driverCases")
    void driverComputesStartPlusProductOnEveryWidth(String kernels, GemmDriver.Init init, int cols, int rows, int depth) {
        Gemm gemm = Kernels.named(kernels).gemm();
        SplittableRandom random = new SplittableRandom(cols * 1000L + rows * 10L + depth);
        float[] a = random(random, rows * depth);
        float[] bt = random(random, cols * depth);      // B transposed: column j is row j of bt
        float[] bias = random(random, Gemm.PANEL_WIDTH + 4);
        RowPanels panels = new RowPanels(rows, gemm.mainPanelHeight());
        float[] packedA = new float[5 + panels.packedSize(depth)];
        panels.pack(a, 0, depth, packedA, 5);        // A stored after other data, as Winograd's 16 matrices are
        float[] packedB = new float[ColumnPanels.packedSize(cols, depth)];
        ColumnPanels.packTransposed(bt, cols, depth, packedB);
        int ldc = Gemm.PANEL_WIDTH + 3;
        float[] c = new float[rows * ldc];
        java.util.Arrays.fill(c, -7f);
        float[] tile = new float[3 + GemmDriver.tileSize(rows)];

        GemmDriver.multiplyPanel(gemm, packedA, 5, panels, depth, packedB, 0, c, 0, ldc, cols, init, bias, 2, tile, 3);

        for (int i = 0; i < rows; i++) {
            double[] expected = new double[ldc];
            for (int j = 0; j < ldc; j++) {
                if (j >= cols) {
                    expected[j] = -7f;     // past the block: untouched
                    continue;
                }
                double sum = switch (init) {
                    case COLUMN_BIAS -> bias[2 + j];
                    case ZERO -> 0;
                    case ACCUMULATE -> -7f;     // what C held
                };
                for (int k = 0; k < depth; k++) {
                    sum += (double) a[i * depth + k] * bt[j * depth + k];
                }
                expected[j] = sum;
            }
            assertClose("row " + i, expected, c, i * ldc, 1e-4, 1e-5);
        }
    }

    @ParameterizedTest(name = "rows={0} main={1}")
    @MethodSource("panelCases")
    void rowPanelsCoverEveryRowOnceWithKernelHeights(int rows, int main) {
        RowPanels panels = new RowPanels(rows, main);
        int next = 0;
        for (int p = 0; p < panels.count(); p++) {
            assertEquals(next, panels.row(p), "panel " + p + " starts where the previous ended");
            int h = panels.height(p);
            org.junit.jupiter.api.Assertions.assertTrue(h == main || h == 4 || h == 2 || h == 1, "height " + h);
            next += h;
        }
        assertEquals(rows, next);
    }

    static Stream<Arguments> panelCases() {
        return Stream.of(4, 6).flatMap(main -> Stream.of(0, 1, 2, 3, 5, 7, 8, 11, 13, 16, 33, 128)
                .map(rows -> Arguments.of(rows, main)));
    }

    @ParameterizedTest(name = "rows={0}")
    @MethodSource("packCases")
    void packedRowsHoldTheMatrixInKernelOrder(int rows) {
        int depth = 5;
        float[] src = random(new SplittableRandom(rows), rows * depth);
        RowPanels panels = new RowPanels(rows, 6);
        float[] packed = new float[panels.packedSize(depth)];
        panels.pack(src, 0, depth, packed, 0);
        for (int p = 0; p < panels.count(); p++) {
            int h = panels.height(p);
            for (int i = 0; i < h; i++) {
                for (int k = 0; k < depth; k++) {
                    assertEquals(src[(panels.row(p) + i) * depth + k], packed[panels.row(p) * depth + k * h + i]);
                }
            }
        }
    }

    static Stream<Integer> packCases() {
        return Stream.of(1, 5, 6, 11, 17);
    }

    @ParameterizedTest(name = "rows={0}")
    @MethodSource("packCases")
    void transposedPackingReadsColumnsAsRows(int rows) {
        int depth = 7;
        int ld = rows + 3;     // a block inside a wider matrix
        float[] src = random(new SplittableRandom(rows), 2 + depth * ld);
        RowPanels panels = new RowPanels(rows, 4);
        float[] packed = new float[panels.packedSize(depth)];
        panels.packTransposed(src, 2, ld, depth, packed, 0);
        for (int p = 0; p < panels.count(); p++) {
            int h = panels.height(p);
            for (int i = 0; i < h; i++) {
                for (int k = 0; k < depth; k++) {
                    assertEquals(src[2 + k * ld + panels.row(p) + i], packed[panels.row(p) * depth + k * h + i]);
                }
            }
        }
    }

    @ParameterizedTest(name = "columns={0}")
    @MethodSource("packCases")
    void columnPanelsOfARowMajorMatrixMatchTheTransposedPacking(int columns) {
        int depth = 9;
        float[] b = random(new SplittableRandom(columns), depth * columns);
        float[] bt = new float[columns * depth];
        for (int k = 0; k < depth; k++) {
            for (int j = 0; j < columns; j++) {
                bt[j * depth + k] = b[k * columns + j];
            }
        }
        float[] expected = new float[ColumnPanels.packedSize(columns, depth)];
        ColumnPanels.packTransposed(bt, columns, depth, expected);
        float[] actual = new float[expected.length];
        java.util.Arrays.fill(actual, Float.NaN);
        ColumnPanels.pack(b, columns, depth, actual);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}
