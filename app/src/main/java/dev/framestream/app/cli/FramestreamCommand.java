package dev.framestream.app.cli;

import org.slf4j.LoggerFactory;

import dev.framestream.app.classify.ClassifyCommand;
import dev.framestream.app.demo.DemoCommand;
import dev.framestream.app.evaluate.EvaluateCommand;
import dev.framestream.app.ingest.IngestCommand;
import dev.framestream.app.kafka.BrokerCommand;
import dev.framestream.app.kafka.TopicsCommand;
import dev.framestream.app.keys.KeysCommand;
import dev.framestream.app.onnx.OnnxCommand;
import dev.framestream.app.train.TrainCommand;
import dev.framestream.bench.BenchCommand;
import dev.framestream.cli.EnvironmentDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the command tree, and the entry point of the {@code framestream} command. */
@Command(name = "framestream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Tags live video with a convolutional network that keeps learning, on Kafka.",
                "",
                "Every flag has an environment fallback FRAMESTREAM_<FLAG> (e.g. --threads -> FRAMESTREAM_THREADS)."
        },
        subcommands = {
                IngestCommand.class,
                ClassifyCommand.class,
                TrainCommand.class,
                DemoCommand.class,
                EvaluateCommand.class,
                BenchCommand.class,
                BrokerCommand.class,
                TopicsCommand.class,
                KeysCommand.class,
                OnnxCommand.class,
                CommandLine.HelpCommand.class
        })
public final class FramestreamCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: usage on a bad flag, exit codes as documented. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new FramestreamCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setDefaultValueProvider(new EnvironmentDefaults());     // FRAMESTREAM_<FLAG> for the shared option mixins
        commandLine.setUsageHelpWidth(120);     // descriptions are written in lines of up to 120 characters
        commandLine.setExecutionExceptionHandler(FramestreamCommand::reportFailure);
        return commandLine;
    }

    /**
     * A bad flag value, a missing or corrupt file, a cluster that cannot be reached: the message
     * says what is wrong and what to do, so the user gets it alone (exit code 1); the stack trace
     * goes to the debug log. Anything else is a bug and keeps its stack trace.
     */
    private static int reportFailure(Exception error, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (error instanceof IllegalArgumentException || error instanceof IllegalStateException || error instanceof java.io.IOException
                || error instanceof java.io.UncheckedIOException || error instanceof java.util.concurrent.ExecutionException) {
            Throwable shown = error instanceof java.util.concurrent.ExecutionException && error.getCause() != null ? error.getCause() : error;
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + shown.getMessage());
            LoggerFactory.getLogger(FramestreamCommand.class).debug("{} failed", command.getCommandName(), error);
            return 1;
        }
        throw error;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
