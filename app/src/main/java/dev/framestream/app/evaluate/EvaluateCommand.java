package dev.framestream.app.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.framestream.app.kafka.KafkaOptions;
import dev.framestream.cli.BatchOption;
import dev.framestream.cli.EngineThreadsOption;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.model.Model;
import dev.framestream.schemas.TopicNames;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code framestream evaluate}: replays a source through a model version (or two) and writes a report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Replay a recording, an image set or a topic range through a model version and write a report into --out:",
                "accuracy, top-k accuracy, per-class precision/recall/F1, the confusion matrix, accuracy over the replay, speed",
                "(report.md, report.json, PNG plots). With --compare, two versions side by side on the very same frames, and the",
                "frames on which they disagree. The same source and model give the same report (all but the speed figures).",
                "",
                "Models: a model file, topic:NAME@VERSION or topic:NAME (the newest) from the weights topic.",
                "Sources: a video, an image folder of class sub-folders, an IDX images file, a grid image (with --cell), or",
                "topic:NAME[@FROM..TO] (offsets FROM inclusive to TO exclusive on every partition; committed records only).",
                "Accuracy counts frames whose truth is one of the model's classes; frames without a truth are classified and",
                "compared but not scored.",
                "",
                "Example: framestream evaluate --model digits.fsm --source /usr/share/doc/opencv-doc/examples/data/digits.png --out report/",
                "         framestream evaluate --model topic:demo@12 --compare topic:demo@3 --source topic:frames.labelled@0..5000"})
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--model", paramLabel = "FILE|topic:NAME[@VERSION]", required = true, defaultValue = "${env:FRAMESTREAM_MODEL}",
            description = "The model version to evaluate.")
    private String model;

    @Option(names = "--compare", paramLabel = "FILE|topic:NAME[@VERSION]", defaultValue = "${env:FRAMESTREAM_COMPARE}",
            description = "A second model version to run side by side on the same frames.")
    private String compare;

    @Option(names = "--source", paramLabel = "PATH|topic:NAME[@FROM..TO]", required = true, defaultValue = "${env:FRAMESTREAM_SOURCE}",
            description = "What to replay.")
    private String source;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "${env:FRAMESTREAM_OUT:-evaluation}",
            description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--cell", paramLabel = "WxH", defaultValue = "${env:FRAMESTREAM_CELL:-20x20}",
            description = "Cell size when the source is a grid image (default: ${DEFAULT-VALUE}, OpenCV's digits.png).")
    private String cell;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "${env:FRAMESTREAM_TOP_K:-3}",
            description = "A frame counts for top-k accuracy when its truth is among the K most probable labels (default: ${DEFAULT-VALUE}).")
    private int topK;

    @Mixin
    private final BatchOption batchSize = new BatchOption(64);

    @Mixin
    private final EngineThreadsOption engineThreads = new EngineThreadsOption();

    @Option(names = "--weights-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_WEIGHTS_TOPIC:-" + TopicNames.MODEL_WEIGHTS + "}",
            description = "Where topic: models are read from (default: ${DEFAULT-VALUE}).")
    private String weightsTopic;

    @Override
    public Integer call() throws Exception {
        if (topK < 1 || batchSize.size() < 1) {
            throw new IllegalArgumentException("--top-k and --batch must be at least 1");
        }
        Map<String, Object> client = kafka.clientProperties();
        List<Model> models = new ArrayList<>();
        models.add(ModelSource.open(model, "--model", weightsTopic, client));
        if (compare != null) {
            models.add(ModelSource.open(compare, "--compare", weightsTopic, client));
        }
        Replay.Result result;
        try (ReplaySource frames = ReplaySource.open(source, cell, client);
             WorkerPool pool = new WorkerPool(engineThreads.poolSize());
             ProgressBar bar = new ProgressBarBuilder().setTaskName("evaluate").setInitialMax(frames.size()).setStyle(ProgressBarStyle.ASCII)
                     .setUpdateIntervalMillis(250).showSpeed().setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            result = Replay.run(frames, models, batchSize.size(), topK, pool, bar::stepTo);
        }
        if (result.frames() == 0) {
            throw new IllegalArgumentException("--source " + source + " gave no frames" + (result.skipped().isEmpty() ? "" : "; skipped "
                    + result.skipped()));
        }
        java.nio.file.Files.createDirectories(out);
        List<String> plots = new ArrayList<>();
        if (result.scores().stream().anyMatch(s -> s.scored() > 0)) {     // without truth there is nothing to plot
            for (int m = 0; m < result.scores().size(); m++) {
                String name = "confusion-" + (m == 0 ? "model" : "compare") + ".png";
                Plots.confusion(result.scores().get(m), out.resolve(name));
                plots.add(name);
            }
            Plots.accuracyOverReplay(result.scores(), out.resolve("accuracy.png"));
            plots.add("accuracy.png");
        }
        ReportWriter.write(result, out, plots);
        for (int m = 0; m < result.scores().size(); m++) {
            Scores s = result.scores().get(m);
            Scores.Timing t = result.timings().get(m);
            System.out.printf("%s: accuracy %s, top-%d %s on %,d of %,d frames; %,.0f frames/s%n", ReportWriter.title(s),
                    ReportWriter.percent(s.accuracy()), s.k(), ReportWriter.percent(s.topKAccuracy()), s.scored(), s.frames(), t.framesPerSecond());
        }
        if (result.comparison() != null) {
            System.out.printf("they disagree on %,d of %,d frames%n", result.comparison().disagreementsTotal(), result.comparison().both());
        }
        System.out.println("report: " + out.resolve("report.md"));
        return 0;
    }
}
