package dev.framestream.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.app.cli.FailingRun;

class CompareBenchCommandTest {

    @TempDir
    Path directory;

    @Test
    void badFlagsAndBadModelsGetOneLineErrors() throws Exception {
        assertTrue(FailingRun.stderr("bench", "compare", "--peers", "tensorflow").contains("unknown peer \"tensorflow\""));
        assertTrue(FailingRun.stderr("bench", "compare", "--threads", "0").contains("--threads values must be at least 1"));
        assertTrue(FailingRun.stderr("bench", "compare", "--batch", "0").contains("--batch sizes must be at least 1"));
        assertTrue(FailingRun.stderr("bench", "compare", "--rounds", "0").contains("--rounds must be at least 1"));
        assertTrue(FailingRun.stderr("bench", "compare", "--net", "/no/such/model.onnx").contains("--net /no/such/model.onnx does not exist"));
        Path junk = directory.resolve("junk.onnx");
        Files.writeString(junk, "not a model");
        String error = FailingRun.stderr("bench", "compare", "--net", junk.toString());
        assertTrue(error.startsWith("framestream bench compare: " + junk + " is not an ONNX model"), error);
        assertTrue(error.lines().count() == 1, error);
    }
}
