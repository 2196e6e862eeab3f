package dev.framestream.app.classify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.app.cli.FailingRun;

/** Mistakes a user makes with {@code classify} are reported plainly, before any broker is needed. */
class ClassifyCommandTest {

    private static String run(String... args) {
        return FailingRun.stderr(args);
    }

    @Test
    void aBatchSizeOutOfRangeSaysWhichFlagAndRange() {
        String err = run("classify", "--bootstrap", "127.0.0.1:1", "--max-batch", "0");
        assertTrue(err.contains("framestream classify: --max-batch must be 1 to 4096, got 0"), err);
    }

    @Test
    void aMissingModelFileSaysHowToMakeOne(@TempDir Path dir) {
        String err = run("classify", "--bootstrap", "127.0.0.1:1", "--model", dir.resolve("none.fsm").toString());
        assertTrue(err.contains("no model file there (--model); train one with framestream train --out"), err);
    }

    @Test
    void aFileThatIsNotAModelIsRefusedWithItsReason(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.fsm"), "not a model");
        String err = run("classify", "--bootstrap", "127.0.0.1:1", "--model", junk.toString());
        assertTrue(err.contains("does not decode") && err.contains("[BAD_WEIGHTS]"), err);
    }
}
