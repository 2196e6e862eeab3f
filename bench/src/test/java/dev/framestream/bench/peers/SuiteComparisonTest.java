package dev.framestream.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The seconds-long version of {@code bench compare --suite} that the build runs: every suite net
 * through the engine, ONNX Runtime and OpenCV DNN at batch 1 and 2, one thread. It fails where
 * ONNX Runtime and the engine compute different outputs, never on speed.
 */
class SuiteComparisonTest {

    @Test
    void onnxRuntimeAgreesWithTheEngineOnEverySuiteNet() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SuiteComparison comparison = new SuiteComparison(List.of(CompareBenchmark.Peer.ONNXRUNTIME, CompareBenchmark.Peer.OPENCV),
                0.02, 0, 1, 42);

        List<SuiteComparison.Case> cases = comparison.run(BenchmarkSuite.ENTRIES, List.of(1), List.of(1, 2),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String table = printed.toString(StandardCharsets.UTF_8);
        assertEquals(2 * BenchmarkSuite.ENTRIES.size(), cases.size(), table);
        for (SuiteComparison.Case c : cases) {
            assertNotNull(c.onnxRuntime(), c.net() + ": onnxruntime ran");
            assertTrue(c.onnxRuntime().maxDifference() <= CompareBenchmark.AGREEMENT, c.net() + " batch " + c.engine().batch()
                    + ": onnxruntime differs by " + c.onnxRuntime().maxDifference() + "\n" + table);
            assertTrue(c.engine().framesPerSecond() > 0 && c.onnxRuntime().ratio() > 0, c.net());
        }
        assertTrue(SuiteComparison.allAgree(cases));
        double mean = SuiteComparison.geometricMean(cases);
        assertTrue(mean > 0 && Double.isFinite(mean), "geometric mean " + mean);
        for (BenchmarkSuite.Entry entry : BenchmarkSuite.ENTRIES) {
            assertTrue(table.contains(entry.label()), entry.label() + " in the summary:\n" + table);
        }
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "geometric mean of engine ÷ onnxruntime over %d cases: %.2fx",
                cases.size(), mean)), table);
    }
}
