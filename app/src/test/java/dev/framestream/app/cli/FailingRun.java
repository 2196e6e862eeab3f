package dev.framestream.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs a framestream command a user got wrong: it must exit 1; returns what it printed on stderr. */
public final class FailingRun {

    private FailingRun() {
    }

    public static String stderr(String... args) {
        CommandLine commandLine = FramestreamCommand.commandLine();
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        assertEquals(1, code, "exit code; stderr: " + err);
        return err.toString();
    }
}
