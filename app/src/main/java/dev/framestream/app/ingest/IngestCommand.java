package dev.framestream.app.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.framestream.app.kafka.KafkaOptions;
import dev.framestream.app.metrics.MetricsServer;
import dev.framestream.ingest.CameraIngest;
import dev.framestream.ingest.CameraSettings;
import dev.framestream.ingest.IngestMetrics;
import dev.framestream.ingest.shaping.Shaping;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.sources.DatasetSource;
import dev.framestream.ingest.sources.FrameSource;
import dev.framestream.ingest.sources.LoopingSource;
import dev.framestream.ingest.sources.SyntheticCamera;
import dev.framestream.ingest.sources.Videos;
import dev.framestream.media.GridImage;
import dev.framestream.media.IdxFiles;
import dev.framestream.media.ImageFolder;
import dev.framestream.media.PixelFormat;
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
                "Sources: synthetic (a camera that draws labelled digits on noise; needs nothing installed), a folder of",
                "class sub-folders, IDX images (labels beside them), a grid image (with --cell), a video file (OpenCV for",
                "MJPEG AVI, an ffmpeg subprocess for the rest) or a stream URL (rtsp://, http://, through ffmpeg).",
                "Live cameras come next.",
                "",
                "Example: framestream ingest --bootstrap 127.0.0.1:9092 --source synthetic --count 1000 --camera-id synth-1"})
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "${env:FRAMESTREAM_SOURCE:-synthetic}",
            description = "What to read: synthetic; a folder, IDX images file, grid image (with --cell) or video file; a stream URL (default: ${DEFAULT-VALUE}).")
    private String source;

    @Option(names = "--cell", paramLabel = "WxH",
            description = "The source is a grid image of cells this size (e.g. 20x20 for OpenCV's digits.png).")
    private String cell;

    @Option(names = "--rows-per-label", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_ROWS_PER_LABEL:-5}",
            description = "Grid image: rows of cells per label (default: ${DEFAULT-VALUE}).")
    private int rowsPerLabel;

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
            description = "Capture rate of synthetic and image-set frames: their timestamps step by 1/FPS (default: ${DEFAULT-VALUE}).")
    private double captureFps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_SEED:-1}",
            description = "Seed of the synthetic camera (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--labelled-every", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_LABELLED_EVERY:-1}",
            description = "Also publish every N-th labelled frame to the labelled topic; 0 = never (default: ${DEFAULT-VALUE}).")
    private int labelledEvery;

    @Option(names = "--crop", paramLabel = "X,Y,W,H", description = "Publish only this region of each frame (pixels).")
    private String crop;

    @Option(names = "--resize", paramLabel = "WxH", description = "Resize each frame (after the crop) to this size.")
    private String resize;

    @Option(names = "--pixel-format", paramLabel = "FORMAT", description = "Publish frames as GRAY8, BGR8 or RGB8 (default: as decoded).")
    private PixelFormat pixelFormat;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_FPS:-0}",
            description = "Sample down to at most N frames per second of capture time; 0 = every frame (default: ${DEFAULT-VALUE}).")
    private double fps;

    @Option(names = "--motion-threshold", paramLabel = "LEVELS", defaultValue = "${env:FRAMESTREAM_MOTION_THRESHOLD:-0}",
            description = "Skip frames whose mean grey-level change from the last published one is below this (e.g. 2); 0 = off (default: ${DEFAULT-VALUE}).")
    private double motionThreshold;

    @Option(names = "--realtime", defaultValue = "${env:FRAMESTREAM_REALTIME:-false}",
            description = "Play recordings at their recorded pace instead of as fast as the broker takes them.")
    private boolean realtime;

    @Option(names = "--loop", defaultValue = "${env:FRAMESTREAM_LOOP:-false}",
            description = "Start a finite source again when it ends (stop with --count or Ctrl-C).")
    private boolean loop;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:FRAMESTREAM_METRICS_PORT:--1}",
            description = "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics; 0 = any free port, -1 = off (default: ${DEFAULT-VALUE}).")
    private int metricsPort;

    @Option(names = "--frames-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_FRAMES_TOPIC:-" + TopicNames.FRAMES + "}",
            description = "Topic for every frame (default: ${DEFAULT-VALUE}).")
    private String framesTopic;

    @Option(names = "--labelled-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_LABELLED_TOPIC:-" + TopicNames.FRAMES_LABELLED + "}",
            description = "Topic for labelled frames (default: ${DEFAULT-VALUE}).")
    private String labelledTopic;

    @Override
    public Integer call() throws Exception {
        FrameSource frames = loop ? new LoopingSource(this::openUnchecked) : open();
        CameraSettings settings = new CameraSettings(new Shaping(Shaping.parseCrop(crop), Shaping.parseSize(resize), pixelFormat),
                fps, motionThreshold, realtime);
        long began = System.nanoTime();
        CameraIngest.Report report;
        long acknowledged;
        try (MetricsServer metrics = MetricsServer.start("127.0.0.1", metricsPort);
             FramePublisher publisher = new FramePublisher(kafka.clientProperties(), framesTopic, labelledTopic, labelledEvery);
             ProgressBar bar = new ProgressBarBuilder().setTaskName("ingest " + cameraId)
                     .setInitialMax(count >= 0 && (frames.size() < 0 || count < frames.size()) ? count : frames.size())
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                     .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            if (metrics.url() != null) {
                System.err.println("metrics: " + metrics.url());
            }
            report = new CameraIngest(cameraId, frames, publisher, settings, new IngestMetrics(metrics.registry(), cameraId))
                    .run(count, bar::stepTo);
            publisher.flush();
            acknowledged = publisher.acknowledged();
        } finally {
            frames.close();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("%s: %d frames read, %d published (%d skipped by pacing, %d by the motion gate), %d records acknowledged"
                        + " by %s in %.1f s (%.0f frames/s read)%n", cameraId, report.read(), report.published(), report.skippedByPacing(),
                report.skippedByGate(), acknowledged, kafka.clientProperties().get("bootstrap.servers"), seconds, report.read() / seconds);
        return 0;
    }

    private FrameSource openUnchecked() {
        try {
            return open();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The source by what {@code --source} names: the synthetic camera, or a path told apart by what it is. */
    private FrameSource open() throws IOException {
        long now = System.currentTimeMillis();
        if (source.toLowerCase(Locale.ROOT).equals("synthetic")) {
            return new SyntheticCamera(width, height, count, captureFps, now, seed);
        }
        if (source.contains("://")) {
            return Videos.open(source, now);
        }
        Path path = Path.of(source);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--source " + source + " is neither synthetic nor an existing file or folder");
        }
        if (Files.isDirectory(path)) {
            return new DatasetSource(ImageFolder.read(path).dataset(), now, captureFps);
        }
        if (path.getFileName().toString().contains("idx3")) {
            return new DatasetSource(IdxFiles.read(path, IdxFiles.labelsFor(path), List.of()), now, captureFps);
        }
        if (cell != null) {
            String[] size = cell.toLowerCase(Locale.ROOT).split("x");
            return new DatasetSource(GridImage.read(path, Integer.parseInt(size[0].trim()), Integer.parseInt(size[size.length - 1].trim()),
                    rowsPerLabel, List.of()), now, captureFps);
        }
        return Videos.open(source, now);
    }
}
