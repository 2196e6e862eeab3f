package dev.framestream.app.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import dev.framestream.app.logging.LogFile;
import dev.framestream.app.kafka.KafkaOptions;
import dev.framestream.app.metrics.MetricsOptions;
import dev.framestream.app.metrics.MetricsServer;
import dev.framestream.cli.SeedOption;
import dev.framestream.cli.StopSignal;
import dev.framestream.ingest.CameraConfig;
import dev.framestream.ingest.CamerasFile;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.CameraIngest;
import dev.framestream.ingest.runner.IngestRunner;
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
                "A live camera is camera:N (/dev/videoN through OpenCV and V4L2).",
                "",
                "Example: framestream ingest --bootstrap 127.0.0.1:9092 --source synthetic --count 1000 --camera-id synth-1"})
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "${env:FRAMESTREAM_SOURCE:-synthetic}",
            description = "What to read: synthetic; camera:N (/dev/videoN); a folder, IDX images file, grid image (with --cell) or video file; a stream URL (default: ${DEFAULT-VALUE}).")
    private String source;

    @Option(names = "--cell", paramLabel = "WxH", defaultValue = "${env:FRAMESTREAM_CELL}",
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

    @Mixin
    private final SeedOption seedOption = new SeedOption();

    @Option(names = "--labelled-every", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_LABELLED_EVERY:-1}",
            description = "Also publish every N-th labelled frame to the labelled topic; 0 = never (default: ${DEFAULT-VALUE}).")
    private int labelledEvery;

    @Option(names = "--shuffle", defaultValue = "${env:FRAMESTREAM_SHUFFLE:-false}",
            description = "Play an image set (folder, IDX, grid image) in a random order drawn from --seed, a new order on every --loop.")
    private boolean shuffle;

    @Option(names = "--crop", paramLabel = "X,Y,W,H", defaultValue = "${env:FRAMESTREAM_CROP}", description = "Publish only this region of each frame (pixels).")
    private String crop;

    @Option(names = "--resize", paramLabel = "WxH", defaultValue = "${env:FRAMESTREAM_RESIZE}", description = "Resize each frame (after the crop) to this size.")
    private String resize;

    @Option(names = "--pixel-format", paramLabel = "FORMAT", defaultValue = "${env:FRAMESTREAM_PIXEL_FORMAT}", description = "Publish frames as GRAY8, BGR8 or RGB8 (default: as decoded).")
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

    @Mixin
    private MetricsOptions metricsOptions;

    @Option(names = "--frames-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_FRAMES_TOPIC:-" + TopicNames.FRAMES + "}",
            description = "Topic for every frame (default: ${DEFAULT-VALUE}).")
    private String framesTopic;

    @Option(names = "--labelled-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_LABELLED_TOPIC:-" + TopicNames.FRAMES_LABELLED + "}",
            description = "Topic for labelled frames (default: ${DEFAULT-VALUE}).")
    private String labelledTopic;

    @Option(names = "--cameras", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_CAMERAS_FILE}",
            description = "Many cameras from a YAML file (one entry per camera with these options; see ingest/README.md); replaces --source."
                    + " Its environment fallback is FRAMESTREAM_CAMERAS_FILE (FRAMESTREAM_CAMERAS is the demo's camera count).")
    private Path camerasFile;

    @Option(names = "--max-restarts", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_MAX_RESTARTS:-5}",
            description = "Give a failing camera up after N restarts in a row (back-off 1 s doubling to 30 s); -1 = never (default: ${DEFAULT-VALUE}).")
    private int maxRestarts;

    @Override
    public Integer call() throws Exception {
        List<CameraConfig> cameras = camerasFile != null ? CamerasFile.read(camerasFile)
                : List.of(CameraConfig.builder(cameraId, source).cell(cell).rowsPerLabel(rowsPerLabel).width(width).height(height)
                        .captureFps(captureFps).seed(seedOption.value()).count(count).loop(loop).shuffle(shuffle).crop(crop).resize(resize)
                        .pixelFormat(pixelFormat).fps(fps).motionThreshold(motionThreshold).realtime(realtime).labelledEvery(labelledEvery)
                        .build());
        cameras.forEach(CameraConfig::settings);    // flags that do not parse fail now, not in a camera thread
        long began = System.nanoTime();
        List<IngestRunner.CameraResult> results;
        long acknowledged;
        long framesAcknowledged;
        Map<String, long[]> perCamera = new ConcurrentHashMap<>();      // camera -> {read, total}
        try (StopSignal stop = StopSignal.install("ingest", Duration.ofSeconds(30));
             MetricsServer metrics = metricsOptions.start();
             FramePublisher publisher = new FramePublisher(kafka.clientProperties(), framesTopic, labelledTopic);
             ProgressBar bar = new ProgressBarBuilder().setTaskName("ingest").setInitialMax(-1)
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                     .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            if (metrics.url() != null) {
                System.err.println("metrics: " + metrics.url());
            }
            LogFile.startLine().ifPresent(System.err::println);
            IngestRunner runner = new IngestRunner(publisher, metrics.registry(), Duration.ofSeconds(1), Duration.ofSeconds(30), maxRestarts);
            stop.onStop(runner::stop);      // Ctrl-C ends the cameras; what they read is still flushed and reported
            results = runner.run(cameras, (camera, read, total) -> {
                perCamera.put(camera, new long[] {read, total});
                // The bar's total is known once every camera has said how many frames it will read.
                long done = 0;
                long all = perCamera.size() == cameras.size() ? 0 : -1;
                for (long[] figures : perCamera.values()) {
                    done += figures[0];
                    all = all < 0 || figures[1] < 0 ? -1 : all + figures[1];
                }
                synchronized (bar) {
                    bar.maxHint(all);
                    bar.stepTo(done);
                }
            });
            publisher.flush();
            acknowledged = publisher.acknowledged();
            framesAcknowledged = publisher.framesAcknowledged();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        for (IngestRunner.CameraResult result : results) {
            CameraIngest.Report report = result.report();
            System.out.printf("%s: %d frames read, %d published (%d skipped by pacing, %d by the motion gate), %d corrupt frames skipped%s%n",
                    result.cameraId(), report.read(), report.published(), report.skippedByPacing(), report.skippedByGate(), report.decodeErrors(),
                    result.lastError() == null ? "" : String.format("; %d restart(s), last: %s", result.restarts(), result.lastError()));
        }
        long read = results.stream().mapToLong(r -> r.report().read()).sum();
        System.out.printf("%d frames acknowledged by %s (%d records with their labelled copies) in %.1f s (%.0f frames/s read)%n",
                framesAcknowledged, kafka.clientProperties().get("bootstrap.servers"), acknowledged, seconds, read / seconds);
        return results.stream().anyMatch(r -> r.lastError() != null && r.report().read() == 0) ? 1 : 0;
    }
}
