package dev.framestream.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.framestream.engine.Network;
import dev.framestream.onnx.OnnxExport;

class CompareBenchmarkTest {

    @Test
    void everyRuntimeRunsEveryCaseAndTheTableShowsTheRatios() throws Exception {
        Network network = Network.build("in 1x12x12 | conv 4 3x3 | relu | maxpool 2 | flatten | fc 5 | softmax");
        network.initialise(3);
        CompareBenchmark benchmark = new CompareBenchmark(new CompareBenchmark.Subject("small", network,
                OnnxExport.toModel(network).toByteArray()), List.of(CompareBenchmark.Peer.ONNXRUNTIME, CompareBenchmark.Peer.OPENCV),
                0.02, 0, 3, 5);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<CompareBenchmark.Row> rows = benchmark.run(List.of(1, 2), List.of(1, 4), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertEquals(2 * 2 * 3, rows.size());
        for (CompareBenchmark.Row row : rows) {
            assertTrue(row.framesPerSecond() > 0 && row.p50Millis() > 0 && row.p99Millis() >= row.p50Millis(), row.toString());
            assertTrue(row.maxDifference() <= 1e-5, row.toString());
            assertTrue(row.ratioLow() <= row.ratio() && row.ratio() <= row.ratioHigh() && row.ratioLow() > 0, row.toString());
            if (row.runtime().equals("framestream")) {
                assertEquals(1.0, row.ratio(), row.toString());
            }
        }
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("engine ÷ it"), table);
        // Every peer line ends with its ratio and the rounds' range, e.g. "1.21x     1.05-1.33".
        assertEquals(8, table.lines().filter(l -> l.contains("onnxruntime") || l.contains("opencv-dnn"))
                .filter(l -> l.trim().matches(".*\\d\\.\\d\\dx +\\d+\\.\\d\\d-\\d+\\.\\d\\d")).count(), table);
    }

    @Test
    void outputsOfDifferentLengthsAreABrokenPeerNotANumber() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> CompareBenchmark.maxDifference(new float[3], new float[4], "peer"));
        assertTrue(e.getMessage().contains("peer gave 4 output values, the engine 3"));
        assertEquals(Double.POSITIVE_INFINITY, CompareBenchmark.maxDifference(new float[] {1}, new float[] {Float.NaN}, "peer"));
    }
}
