package dev.framestream.app.ingest;

import java.util.Locale;
import java.util.concurrent.Callable;

import dev.framestream.app.kafka.KafkaOptions;
import dev.framestream.ingest.CameraIngest;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.sources.FrameSource;
import dev.framestream.ingest.sources.SyntheticCamera;
import dev.framestream.schemas.TopicNames;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code framestream ingest}: reads a source and publishes its frames to Kafka. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Read a source and publish its frames to Kafka as Frame records keyed by camera id: every frame to",
                "--frames-topic, labelled frames (every --labelled-every-th) to --labelled-topic as well.",
                "",
                "Sources so far: synthetic (a camera that draws labelled digits on noise; needs nothing installed).",
                "Video files, cameras, URLs, image folders, IDX files and grid images come next.",
                "",
                "Example: framestream ingest --bootstrap 127.0.0.1:9092 --source synthetic --count 1000 --camera-id synth-1"})
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "${env:FRAMESTREAM_SOURCE:-synthetic}",
            description = "What to read: synthetic (default: ${DEFAULT-VALUE}).")
    private String source;

    @Option(names = "--camera-id", paramLabel = "ID", defaultValue = "${env:FRAMESTREAM_CAMERA_ID:-synthetic-1}",
            description = "The camera id: the key of its frames (default: ${DEFAULT-VALUE}).")
    private String cameraId;

    @Option(names = "--count", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_COUNT:--1}",
            description = "Frames to publish; -1 = until the source ends or Ctrl-C (default: ${DEFAULT-VALUE}).")
    private long count;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "${env:FRAMESTREAM_WIDTH:-64}",
            description = "Synthetic frames' width (default: ${DEFAULT-VALUE}).")
    private int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "${env:FRAMESTREAM_HEIGHT:-64}",
            description = "Synthetic frames' height (default: ${DEFAULT-VALUE}).")
    private int height;

    @Option(names = "--capture-fps", paramLabel = "FPS", defaultValue = "${env:FRAMESTREAM_CAPTURE_FPS:-25}",
            description = "Synthetic frames' capture rate: their timestamps step by 1/FPS (default: ${DEFAULT-VALUE}).")
    private double captureFps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_SEED:-1}",
            description = "Seed of the synthetic camera (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--labelled-every", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_LABELLED_EVERY:-1}",
            description = "Also publish every N-th labelled frame to the labelled topic; 0 = never (default: ${DEFAULT-VALUE}).")
    private int labelledEvery;

    @Option(names = "--frames-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_FRAMES_TOPIC:-" + TopicNames.FRAMES + "}",
            description = "Topic for every frame (default: ${DEFAULT-VALUE}).")
    private String framesTopic;

    @Option(names = "--labelled-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_LABELLED_TOPIC:-" + TopicNames.FRAMES_LABELLED + "}",
            description = "Topic for labelled frames (default: ${DEFAULT-VALUE}).")
    private String labelledTopic;

    @Override
    public Integer call() throws Exception {
        FrameSource frames = open();
        long began = System.nanoTime();
        long read;
        long acknowledged;
        try (FramePublisher publisher = new FramePublisher(kafka.clientProperties(), framesTopic, labelledTopic, labelledEvery);
             ProgressBar bar = new ProgressBarBuilder().setTaskName("ingest " + cameraId).setInitialMax(frames.size())
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                     .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            read = new CameraIngest(cameraId, frames, publisher).run(bar::stepTo);
            publisher.flush();
            acknowledged = publisher.acknowledged();
        } finally {
            frames.close();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("%s: %d frames read, %d records acknowledged by %s in %.1f s (%.0f frames/s)%n", cameraId, read, acknowledged,
                kafka.clientProperties().get("bootstrap.servers"), seconds, read / seconds);
        return 0;
    }

    private FrameSource open() {
        return switch (source.toLowerCase(Locale.ROOT)) {
            case "synthetic" -> new SyntheticCamera(width, height, count, captureFps, System.currentTimeMillis(), seed);
            default -> throw new IllegalArgumentException("--source " + source + " is not readable yet: this build ingests the synthetic"
                    + " camera (--source synthetic); video files, cameras, URLs, image folders, IDX files and grid images come next");
        };
    }
}
