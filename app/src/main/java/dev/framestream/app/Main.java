package dev.framestream.app;

import dev.framestream.app.cli.FramestreamCommand;
import picocli.CommandLine;

/** Entry point of the {@code framestream} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(FramestreamCommand.commandLine().execute(args));
    }
}
