package dev.framestream.app.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import dev.framestream.app.cli.FailingRun;
import dev.framestream.app.cli.FramestreamCommand;
import dev.framestream.engine.training.OptimizerKind;
import picocli.CommandLine;

/** Mistakes a user makes with {@code train --online} are reported plainly, before any broker is needed. */
class OnlineTrainCommandTest {

    private static String run(String... args) {
        return FailingRun.stderr(args);
    }

    @Test
    void anOfflineFlagIsRefusedRatherThanIgnored() {
        String err = run("train", "--online", "--bootstrap", "127.0.0.1:1", "--epochs", "3");
        assertTrue(err.contains("--epochs is for training on files; --online learns from frames.labelled"), err);
    }

    @Test
    void aNetWithoutTenOutputsNeedsItsClassNames() {
        String err = run("train", "--online", "--bootstrap", "127.0.0.1:1", "--net", "in 1x8x8 | flatten | fc 3 | softmax");
        assertTrue(err.contains("has 3 outputs: name them with --class-names"), err);
    }

    @Test
    void aGateWithNothingHeldOutIsRefused() {
        String err = run("train", "--online", "--bootstrap", "127.0.0.1:1", "--hold-out", "0");
        assertTrue(err.contains("the gate judges on held-out frames: give --hold-out > 0, or --gate off"), err);
    }

    @Test
    void offlineTrainingStillNeedsData() {
        String err = run("train", "--epochs", "1");
        assertTrue(err.contains("--data is required"), err);
    }

    @Test
    void theOptimizerIsNamedInAnyCase() {
        CommandLine.ParseResult parsed = FramestreamCommand.commandLine().parseArgs("train", "--optimizer", "AdamW");
        assertEquals(OptimizerKind.ADAMW, parsed.subcommand().matchedOptionValue("--optimizer", null));
        parsed = FramestreamCommand.commandLine().parseArgs("train");
        assertEquals(OptimizerKind.ADAMW, parsed.subcommand().commandSpec().findOption("--optimizer").getValue(), "the default");
    }

    @Test
    void anUnknownOptimizerIsRefusedNamingTheChoices() {
        CommandLine commandLine = FramestreamCommand.commandLine();
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute("train", "--optimizer", "adamx");
        assertTrue(code != 0, "exit code " + code);
        String said = err.toString().toLowerCase(java.util.Locale.ROOT);     // picocli names the constants, case-insensitive
        assertTrue(said.contains("'adamx'") && said.contains("[sgd, nesterov, adam, adamw]"), err.toString());
    }

    @Test
    void anUnknownScheduleIsRefusedNamingTheChoices() {
        CommandLine commandLine = FramestreamCommand.commandLine();
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute("train", "--schedule", "linear");
        assertTrue(code != 0, "exit code " + code);
        String said = err.toString().toLowerCase(java.util.Locale.ROOT);
        assertTrue(said.contains("'linear'") && said.contains("[constant, step, cosine]"), err.toString());
    }
}
