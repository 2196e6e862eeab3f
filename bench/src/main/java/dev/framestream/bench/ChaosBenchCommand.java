package dev.framestream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
                "Start an embedded broker, run --instances classifiers as separate processes, publish --frames synthetic frames from",
                "--cameras cameras, and SIGKILL a classifier chosen at random --kills times, each at a random moment within",
                "--kill-within after it has committed its first results, starting it again on its state directory after",
                "--restart-after. Then read classifications as a read_committed consumer and print: frames sent, classified, lost,",
                "duplicated, frames per instance, and per kill how soon the dead instance's partitions were served again (and by",
                "whom) and how soon the restarted instance served its first result. Exits 1 if a frame was lost or repeated.",
                "",
                "Example: framestream bench chaos --frames 20000 --kills 10",
                "         framestream bench chaos --instances 3 --partitions 6 --restart-after 10s   (the survivors' takeover)",
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
            description = "Frames to publish at least; for the classifier, cameras go on until the last killed instance has served"
                    + " again (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--instances", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_INSTANCES:-1}",
            description = "Classifier instances sharing the frames (classifier service only) (default: ${DEFAULT-VALUE}).")
    private int instances;

    @Option(names = "--restart-after", paramLabel = "TIME", defaultValue = "${env:FRAMESTREAM_RESTART_AFTER:-0s}",
            converter = DurationConverter.class,
            description = "How long a killed classifier stays dead: 0s measures restarts; past the session timeout, with several"
                    + " instances, the survivors' takeover (default: ${DEFAULT-VALUE}).")
    private Duration restartAfter;

    @Option(names = "--session-timeout", paramLabel = "TIME", defaultValue = "${env:FRAMESTREAM_SESSION_TIMEOUT}",
            description = "The classifiers' classify --session-timeout (default: classify's).")
    private String sessionTimeout;

    @Option(names = "--dynamic-members", defaultValue = "${env:FRAMESTREAM_DYNAMIC_MEMBERS:-false}",
            description = "Run the classifiers as dynamic group members (classify --instance-id none) instead of static ones.")
    private boolean dynamicMembers;

    @Option(names = "--client-config", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_CLIENT_CONFIG}",
            description = "Kafka client properties for the classifiers (classify --client-config), to measure other group settings"
                    + " (default: none, as classify runs).")
    private Path clientConfig;

    @Mixin
    private final SeedOption seedOption = new SeedOption();

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "${env:FRAMESTREAM_LOG_DIR}",
            description = "Keep each service process's output in DIR (classifier-chaos-N.log, trainer.log) (default: a temporary"
                    + " place, deleted).")
    private Path logDir;

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
        List<String> membership = new ArrayList<>();
        if (sessionTimeout != null) {
            membership.addAll(List.of("--session-timeout", sessionTimeout));
        }
        if (dynamicMembers) {
            membership.addAll(List.of("--instance-id", "none"));
        }
        ChaosBenchmark.Cluster cluster = new ChaosBenchmark.Cluster(instances, restartAfter, membership, clientConfig);
        System.out.printf("framestream bench chaos: %,d frames from %d cameras (%.1f fps each), %d classifier(s) on %d partitions, one"
                        + " SIGKILLed %d times and restarted after %.1f s%n", settings.frames(), settings.cameras(),
                settings.fpsPerCamera(restartAfter),
                instances, settings.partitions(), settings.kills(), restartAfter.toMillis() / 1e3);
        ChaosBenchmark.Outcome outcome = new ChaosBenchmark(settings, cluster, command).run(System.out);
        System.out.printf("%n kill  instance  partitions  served again  by           restarted, first result%n");
        int n = 0;
        for (ChaosBenchmark.Kill kill : outcome.kills()) {
            System.out.printf(" %4d  %-8s  %-10s  %10s%s   %-12s %10s%n", ++n, kill.victim(), kill.owned(), seconds(kill.servedAgain()),
                    kill.cutShort() ? "*" : " ", String.join(",", kill.servedBy()), seconds(kill.firstResult()));
        }
        List<ChaosBenchmark.Kill> cutShort = outcome.kills().stream().filter(ChaosBenchmark.Kill::cutShort).toList();
        if (!cutShort.isEmpty()) {
            System.out.printf(" * killed again before every partition it served was served again: the time includes the next kill's"
                    + " recovery, and the summary leaves it out%n");
        }
        System.out.printf("%n frames sent (acknowledged) %,d%n classified                  %,d%n lost                        %,d%n"
                        + " duplicated                  %,d%n per instance                %s%n served again after a kill   %s%n"
                        + " restart to first result     %s%n kills                       %d (%d classifier starts)%n dead letters                %s%n"
                        + " failed sends                %d%n wall time                   %.0f s%n", outcome.sent(), outcome.classified(),
                outcome.lost(), outcome.duplicated(), outcome.perInstance(),
                spread(outcome.kills().stream().mapToDouble(kill -> kill.cutShort() ? Double.NaN : kill.servedAgain()).toArray())
                        + (cutShort.isEmpty() ? "" : ", " + cutShort.size() + " cut short by the next kill"),
                spread(outcome.kills().stream().mapToDouble(ChaosBenchmark.Kill::firstResult).toArray()), outcome.kills().size(),
                outcome.starts(), outcome.deadLetters().isEmpty() ? "none" : outcome.deadLetters(), outcome.failed(), outcome.seconds());
        return outcome.lost() == 0 && outcome.duplicated() == 0 && outcome.failed() == 0 ? 0 : 1;
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "-" : String.format("%.1f s", value);
    }

    /** Median and worst of the measured values (NaN: not measured, left out). */
    private static String spread(double[] values) {
        double[] measured = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (measured.length == 0) {
            return "not measured";
        }
        return String.format("median %.1f s, worst %.1f s (%d of %d kills)", measured[measured.length / 2], measured[measured.length - 1],
                measured.length, values.length);
    }
}
