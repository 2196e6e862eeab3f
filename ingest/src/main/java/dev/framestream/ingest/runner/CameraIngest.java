package dev.framestream.ingest.runner;

import java.util.Optional;
import java.util.function.LongConsumer;

import dev.framestream.ingest.CameraSettings;
import dev.framestream.ingest.IngestMetrics;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.shaping.MotionGate;
import dev.framestream.ingest.shaping.Pacer;
import dev.framestream.ingest.sources.FrameSource;
import dev.framestream.ingest.sources.SourceFrame;

/**
 * One camera's loop: read a frame, number it, let pacing and the motion gate decide whether it
 * goes out, shape it (crop, resize, pixel format) and publish it, until the source ends, the limit
 * is reached, {@link #stop()} is called or the thread is interrupted. Sequence numbers count every frame read from 0 and go
 * on across runs of the same camera (a restart after a failure), so the frames pacing or the gate
 * skipped leave gaps a consumer can see and no number is used twice. Not thread-safe: one thread
 * per camera.
 */
public final class CameraIngest {
    private final String cameraId;
    private final FramePublisher publisher;
    private final CameraSettings settings;
    private final IngestMetrics metrics;
    private long read;             // frames read over all runs: the next frame's sequence number
    private long published;
    private long paced;
    private long gated;
    private long corrupt;
    private long labelledSeen;
    private volatile boolean stopping;

    /** What one run did. */
    public record Report(long read, long published, long skippedByPacing, long skippedByGate, long decodeErrors) {
    }

    public CameraIngest(String cameraId, FramePublisher publisher, CameraSettings settings) {
        this(cameraId, publisher, settings, IngestMetrics.none(cameraId));
    }

    /** With the camera's meters ({@link IngestMetrics}) on a registry the service exposes. */
    public CameraIngest(String cameraId, FramePublisher publisher, CameraSettings settings, IngestMetrics metrics) {
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("a camera needs an id: it is the key of its frames");
        }
        this.cameraId = cameraId;
        this.publisher = publisher;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Publishes the frames of {@code source} (the camera's source, opened again after a failure).
     *
     * @param limit    stop after reading this many frames; negative for no limit
     * @param progress told the number of frames this run read after every frame (a progress bar)
     */
    public Report run(FrameSource source, long limit, LongConsumer progress) throws InterruptedException {
        Report before = total();
        Pacer pacer = new Pacer(settings.fps());
        MotionGate gate = new MotionGate(settings.motionThreshold());
        long firstCapture = Long.MIN_VALUE;
        long started = System.nanoTime();
        long thisRun = 0;
        try {
            while ((limit < 0 || thisRun < limit) && !stopping && !Thread.currentThread().isInterrupted()) {
                Optional<SourceFrame> next = source.next();
                if (next.isEmpty()) {
                    break;
                }
                SourceFrame frame = next.get();
                long sequence = read++;
                thisRun++;
                metrics.frameRead();
                if (settings.realtime()) {
                    firstCapture = firstCapture == Long.MIN_VALUE ? frame.captureTime() : firstCapture;
                    long wait = started / 1_000_000 + (frame.captureTime() - firstCapture) - System.nanoTime() / 1_000_000;
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                }
                if (!pacer.keep(frame.captureTime())) {
                    paced++;
                    metrics.skippedByPacing();
                } else if (!gate.passes(frame.image())) {
                    gated++;
                    metrics.skippedByGate();
                } else {
                    boolean labelled = frame.truth() != null && settings.labelledEvery() > 0 && labelledSeen++ % settings.labelledEvery() == 0;
                    publisher.publish(cameraId, sequence,
                            new SourceFrame(settings.shaping().apply(frame.image()), frame.captureTime(), frame.truth(), frame.description()),
                            labelled, metrics);
                    published++;
                    metrics.framePublished();
                }
                progress.accept(thisRun);
            }
        } finally {
            // Counted even when the source fails mid-run, so a restart goes on from the true totals.
            corrupt += source.decodeErrors();
            metrics.decodeErrors(source.decodeErrors());
        }
        Report after = total();
        return new Report(after.read - before.read, after.published - before.published, after.skippedByPacing - before.skippedByPacing,
                after.skippedByGate - before.skippedByGate, after.decodeErrors - before.decodeErrors);
    }

    /** Ends the run after the frame in hand, from any thread: the frames read so far stay published and counted. */
    public void stop() {
        stopping = true;
    }

    /** What every run of this camera did together; {@code read} is also the next sequence number. */
    public Report total() {
        return new Report(read, published, paced, gated, corrupt);
    }
}
