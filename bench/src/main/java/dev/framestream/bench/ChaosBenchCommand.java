package dev.framestream.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.framestream.cli.DurationConverter;
import dev.framestream.cli.SeedOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code framestream bench chaos}: SIGKILL the classifier again and again while frames flow; count lost and repeated frames. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {
                "Start an embedded broker, run the classifier as a separate process, publish --frames synthetic frames from",
                "--cameras cameras, and SIGKILL the classifier --kills times, each at a random moment within --kill-within after",
                "it has committed its first results, starting it again on the same state directory each time. Then read classifications as a",
                "read_committed consumer and print: frames sent, classified, lost, duplicated, kills, and dead letters by",
                "reason. Exits 1 if a frame was lost or repeated.",
                "",
                "Example: framestream bench chaos --frames 20000 --kills 10",
                ""
        })
public final class ChaosBenchCommand implements Callable<Integer> {

    /** The service a run kills. */
    enum Service { CLASSIFIER, TRAINER }

    @Spec
    private CommandSpec spec;

    @Option(names = "--service", paramLabel = "classifier|trainer", defaultValue = "${env:FRAMESTREAM_SERVICE:-classifier}",
            description = "The service to kill: the classifier (exactly once), or the online trainer (versions count up, no frame"
                    + " skipped) (default: ${DEFAULT-VALUE}).")
    private Service service;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_FRAMES:-20000}",
            description = "Frames to publish in all (default: ${DEFAULT-VALUE}).")
    private int frames;

    @Option(names = "--kills", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_KILLS:-10}",
            description = "SIGKILLs of the classifier (default: ${DEFAULT-VALUE}).")
    private int kills;

    @Option(names = "--cameras", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_CAMERAS:-4}",
            description = "Synthetic cameras publishing side by side (default: ${DEFAULT-VALUE}).")
    private int cameras;

    @Option(names = "--kill-within", paramLabel = "TIME", defaultValue = "${env:FRAMESTREAM_KILL_WITHIN:-5s}", converter = DurationConverter.class,
            description = "Each classifier is killed at a random moment within TIME after its first committed results (default: ${DEFAULT-VALUE}).")
    private Duration killWithin;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_PARTITIONS:-3}",
            description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Mixin
    private final SeedOption seedOption = new SeedOption();

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "${env:FRAMESTREAM_LOG_DIR}",
            description = "Keep the classifier processes' output in DIR/classifier.log (default: a temporary file, deleted).")
    private java.nio.file.Path logDir;

    @Override
    public Integer call() throws Exception {
        ChaosBenchmark.Settings settings = new ChaosBenchmark.Settings(frames, kills, cameras, killWithin, partitions, seedOption.value(), logDir);
        // The services run as the very command tree this command belongs to, in processes of their own.
        Class<?> command = spec.root().userObject().getClass();
        return switch (service) {
            case CLASSIFIER -> classifier(settings, command);
            case TRAINER -> trainer(settings, command);
        };
    }

    private int trainer(ChaosBenchmark.Settings settings, Class<?> command) throws Exception {
        System.out.printf("framestream bench chaos: %,d labelled frames from %d cameras (%.1f fps each), the online trainer SIGKILLed %d times%n",
                settings.frames(), settings.cameras(), settings.fpsPerCamera(), settings.kills());
        TrainerChaos.Outcome outcome = new TrainerChaos(settings, command).run(System.out);
        List<Long> versions = outcome.versions();
        System.out.printf("%n labelled frames             %,d%n versions published         %d%s%n kills                       %d (%d trainer starts)%n"
                        + " problems                    %s%n wall time                   %.0f s%n", outcome.labelled(), versions.size(),
                versions.isEmpty() ? "" : " (v" + versions.getFirst() + " to v" + versions.getLast() + ")", outcome.kills(), outcome.starts(),
                outcome.problems().isEmpty() ? "none: versions count up, each the child of the one before, offsets consumed without a gap"
                        : String.join("; ", outcome.problems()), outcome.seconds());
        return outcome.problems().isEmpty() && !versions.isEmpty() ? 0 : 1;
    }

    private int classifier(ChaosBenchmark.Settings settings, Class<?> command) throws Exception {
        System.out.printf("framestream bench chaos: %,d frames from %d cameras (%.1f fps each), the classifier SIGKILLed %d times%n",
                settings.frames(), settings.cameras(), settings.fpsPerCamera(), settings.kills());
        ChaosBenchmark.Outcome outcome = new ChaosBenchmark(settings, command).run(System.out);
        System.out.printf("%n frames sent (acknowledged) %,d%n classified                  %,d%n lost                        %,d%n"
                        + " duplicated                  %,d%n kills                       %d (%d classifier starts)%n dead letters                %s%n"
                        + " failed sends                %d%n wall time                   %.0f s%n", outcome.sent(), outcome.classified(),
                outcome.lost(), outcome.duplicated(), outcome.kills(), outcome.starts(),
                outcome.deadLetters().isEmpty() ? "none" : outcome.deadLetters(), outcome.failed(), outcome.seconds());
        return outcome.lost() == 0 && outcome.duplicated() == 0 && outcome.failed() == 0 ? 0 : 1;
    }
}
