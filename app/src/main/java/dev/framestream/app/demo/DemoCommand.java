package dev.framestream.app.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;

import dev.framestream.app.logging.LogFile;
import dev.framestream.app.metrics.MetricsOptions;
import dev.framestream.app.metrics.MetricsServer;
import dev.framestream.cli.DurationConverter;
import dev.framestream.cli.EngineThreadsOption;
import dev.framestream.cli.InputOption;
import dev.framestream.cli.SeedOption;
import dev.framestream.cli.StopSignal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code framestream demo}: the whole pipeline on an embedded broker, with a live status block, until Ctrl-C or --duration. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline in this process on an embedded Kafka broker (127.0.0.1, a free port, temporary data):",
                "ingest cameras publish labelled frames, the classifier serves version 1 of a model (random weights, or --model)",
                "and hot-swaps every version the online trainer publishes, and a status block shows frames/s, the model version,",
                "the accuracy of the classifications against the frames' truth, latency and dead letters. On 2 cores the accuracy",
                "of the synthetic cameras climbs from chance (10 %%) to above 90 %% within a few minutes.",
                "",
                "Ctrl-C or --duration stops it cleanly (every frame sent is classified first) and prints a summary per version.",
                "",
                "Example: framestream demo --duration 3m      framestream demo --data /usr/share/doc/opencv-doc/examples/data/digits.png"})
public final class DemoCommand implements Callable<Integer> {
    private static final Duration STATUS_EVERY = Duration.ofSeconds(1);
    private static final Duration STATUS_EVERY_IN_A_FILE = Duration.ofSeconds(10);

    @Option(names = "--data", paramLabel = "PATH", defaultValue = "${env:FRAMESTREAM_DATA}",
            description = "Replay labelled data instead of the synthetic cameras: a grid image (with --cell), an image folder of class"
                    + " sub-folders, an IDX images file or a video.")
    private Path data;

    @Option(names = "--cell", paramLabel = "WxH", defaultValue = "${env:FRAMESTREAM_CELL:-20x20}",
            description = "Cell size of a grid image given to --data (default: ${DEFAULT-VALUE}, OpenCV's digits.png).")
    private String cell;

    @Option(names = "--model", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_MODEL}",
            description = "Start from this model file (framestream train) instead of random weights.")
    private Path model;

    @Option(names = "--net", paramLabel = "NAME|SPEC", defaultValue = "${env:FRAMESTREAM_NET:-DIGITS}",
            description = "The network of the random starting weights: DIGITS, CAMERA, a named net (RESNET18, MOBILENETV2, SQUEEZENET11, RESNET8, LENET5, optionally with \"in CxHxW classes N\") or an architecture spec (default: ${DEFAULT-VALUE}).")
    private String net;

    @Mixin
    private final InputOption input = new InputOption();

    @Option(names = "--cameras", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_CAMERAS:-4}",
            description = "Cameras side by side (default: ${DEFAULT-VALUE}).")
    private int cameras;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_FPS:-15}",
            description = "Frames per second of each camera, paced in real time (default: ${DEFAULT-VALUE}).")
    private double fps;

    @Option(names = "--labelled-every", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_LABELLED_EVERY:-1}",
            description = "Every N-th frame with a truth also goes to the trainer; 0 = no training (default: ${DEFAULT-VALUE}).")
    private int labelledEvery;

    @Option(names = "--publish-every-seconds", paramLabel = "S", defaultValue = "${env:FRAMESTREAM_PUBLISH_EVERY_SECONDS:-10}",
            description = "How often the trainer judges its challenger and publishes it if it passes the gate (default: ${DEFAULT-VALUE}).")
    private long publishEverySeconds;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "${env:FRAMESTREAM_LR:-0.003}",
            description = "The trainer's learning rate (AdamW; default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Mixin
    private final EngineThreadsOption engineThreads = new EngineThreadsOption();

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_PARTITIONS:-1}",
            description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "${env:FRAMESTREAM_DURATION}", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 90s or 5m (default: until Ctrl-C).")
    private Duration duration;

    @Mixin
    private MetricsOptions metricsOptions;

    @Mixin
    private final SeedOption seedOption = new SeedOption();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        net = input.applyTo(net);
        DemoSettings settings = new DemoSettings(data, cell, model, net, cameras, fps, labelledEvery, Duration.ofSeconds(publishEverySeconds),
                learningRate, engineThreads.poolSize(), duration, partitions, seedOption.value());
        PrintWriter out = spec.commandLine().getOut();
        quietLogs();
        try (StopSignal interrupted = StopSignal.install("demo", Duration.ofSeconds(60));
             MetricsServer metrics = metricsOptions.start()) {
            out.printf("framestream demo: starting an embedded broker, %s, the classifier and the online trainer%n",
                    settings.sourceDescription());
            Demo demo = Demo.start(settings, metrics.registry());
            String failure;
            try {
                out.printf("model %s v%d: %s%n", Demo.MODEL_NAME, demo.initial().version(),
                        settings.model() == null ? "random weights of " + net : settings.model());
                if (metrics.url() != null) {
                    out.println("metrics: " + metrics.url());
                }
                LogFile.startLine().ifPresent(out::println);
                out.println(settings.duration() == null ? "Ctrl-C stops" : "stops after " + StatusBlock.clock(settings.duration().toMillis())
                        + " (or Ctrl-C)");
                out.println();
                out.flush();
                boolean terminal = CommandLine.Help.Ansi.AUTO.enabled() && System.console() != null;
                StatusBlock block = new StatusBlock(out, terminal, "framestream demo");
                long deadline = settings.duration() == null ? Long.MAX_VALUE : System.nanoTime() + settings.duration().toNanos();
                long nextBlock = 0;
                failure = null;
                while (failure == null && System.nanoTime() < deadline
                        && !interrupted.await(Math.min(STATUS_EVERY.toNanos(), Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS)) {
                    if (System.nanoTime() >= nextBlock) {
                        block.show(demo.status());
                        nextBlock = System.nanoTime() + (terminal ? STATUS_EVERY : STATUS_EVERY_IN_A_FILE).toNanos();
                    }
                    failure = demo.failure();
                }
                out.println("stopping: the classifier finishes what was sent, the trainer makes its last checkpoint ...");
                out.flush();
            } finally {
                demo.close();
            }
            new DemoSummary(demo.finalStatus()).print(out);
            if (failure != null) {
                out.println(failure);
            }
            out.flush();
            return failure == null ? 0 : 1;
        }
    }

    /**
     * Our services narrate at INFO; in the demo those lines would tear the status block, so on the
     * console only warnings and errors show unless asked for. The log file keeps every line.
     */
    private static void quietLogs() {
        if (System.getenv("FRAMESTREAM_LOG_LEVEL") == null
                && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root
                && root.getAppender("STDERR") instanceof Appender<ILoggingEvent> console) {
            ThresholdFilter warnings = new ThresholdFilter();
            warnings.setLevel(Level.WARN.levelStr);
            warnings.start();
            console.addFilter(warnings);
        }
    }
}
