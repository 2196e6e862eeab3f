package dev.framestream.app.cli;

import dev.framestream.app.bench.BenchCommand;
import dev.framestream.app.train.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the command tree. */
@Command(name = "framestream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Tags live video with a convolutional network that keeps learning, on Kafka.",
                "",
                "Every flag has an environment fallback FRAMESTREAM_<FLAG> (e.g. --threads -> FRAMESTREAM_THREADS)."
        },
        subcommands = {
                PendingCommands.Ingest.class,
                PendingCommands.Classify.class,
                TrainCommand.class,
                PendingCommands.Demo.class,
                PendingCommands.Evaluate.class,
                BenchCommand.class,
                PendingCommands.Broker.class,
                CommandLine.HelpCommand.class
        })
public final class FramestreamCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The configured command line: usage on a bad flag, exit codes as documented. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new FramestreamCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
