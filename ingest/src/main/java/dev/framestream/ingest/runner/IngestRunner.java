package dev.framestream.ingest.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.framestream.ingest.CameraConfig;
import dev.framestream.ingest.IngestMetrics;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.sources.FrameSource;
import dev.framestream.ingest.sources.Sources;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs cameras side by side, one thread each, through one shared publisher. A camera whose source
 * fails (a missing file, a dropped stream, ffmpeg stopping) is reported and opened again after a
 * back-off that doubles up to a ceiling, without touching the others; a live source (a camera
 * device or a stream URL) that ends is reconnected the same way, a finite source that ends is done.
 */
public final class IngestRunner {
    private static final Logger LOG = LoggerFactory.getLogger(IngestRunner.class);

    private final FramePublisher publisher;
    private final MeterRegistry registry;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final int maxRestarts;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Queue<CameraIngest> running = new ConcurrentLinkedQueue<>();

    /** Told as frames go: a camera, the frames it has read, and how many it will read in all (-1 when unknown). */
    @FunctionalInterface
    public interface Progress {
        void update(String cameraId, long read, long total);
    }

    /** What a camera did over all its runs. */
    public record CameraResult(String cameraId, CameraIngest.Report report, int restarts, String lastError) {
    }

    /**
     * @param maxRestarts give a camera up after this many failed runs in a row; negative never
     */
    public IngestRunner(FramePublisher publisher, MeterRegistry registry, Duration firstBackoff, Duration maxBackoff, int maxRestarts) {
        this.publisher = publisher;
        this.registry = registry;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.maxRestarts = maxRestarts;
    }

    /**
     * Runs every camera until its source is done, its count is reached, it is given up, or
     * {@link #stop()} is called (then all stop and their results are returned) or this thread is
     * interrupted (then all stop and it throws).
     *
     * @param progress told each camera's frames read so far, and its total when known
     */
    public List<CameraResult> run(List<CameraConfig> cameras, Progress progress) throws InterruptedException {
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("framestream-camera-", 0).factory())) {
            List<Future<CameraResult>> running = new ArrayList<>();
            for (CameraConfig camera : cameras) {
                running.add(threads.submit(() -> runCamera(camera, progress)));
            }
            List<CameraResult> results = new ArrayList<>();
            try {
                for (Future<CameraResult> future : running) {
                    results.add(future.get());
                }
            } catch (InterruptedException e) {
                running.forEach(future -> future.cancel(true));
                throw e;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a camera thread failed: " + e.getCause().getMessage(), e.getCause());
            }
            return results;
        }
    }

    private CameraResult runCamera(CameraConfig camera, Progress progress) throws InterruptedException {
        CameraIngest ingest = new CameraIngest(camera.id(), publisher, camera.settings(), new IngestMetrics(registry, camera.id()));
        running.add(ingest);
        if (stopping()) {
            ingest.stop();
        }
        boolean live = Sources.isLive(camera.source());
        int restarts = 0;
        int failuresInARow = 0;
        String lastError = null;
        Duration backoff = firstBackoff;
        while (!stopping() && !Thread.currentThread().isInterrupted() && (camera.count() < 0 || ingest.total().read() < camera.count())) {
            long before = ingest.total().read();
            try (FrameSource source = Sources.open(camera)) {
                long total = total(camera, source, before);
                ingest.run(source, camera.count() < 0 ? -1 : camera.count() - before, n -> progress.update(camera.id(), before + n, total));
                if (!live || stopping()) {
                    break;
                }
                lastError = "the stream ended";
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
            if (ingest.total().read() > before) {
                // It ran for a while: this is a new failure, not one more in a row.
                failuresInARow = 0;
                backoff = firstBackoff;
            }
            if (maxRestarts >= 0 && ++failuresInARow > maxRestarts) {
                LOG.error("camera {}: giving up after {} restarts: {}", camera.id(), restarts, lastError);
                break;
            }
            LOG.warn("camera {}: {}; opening it again in {} ms", camera.id(), lastError, backoff.toMillis());
            if (stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            restarts++;
        }
        return new CameraResult(camera.id(), ingest.total(), restarts, lastError);
    }

    /**
     * Ends every camera's run after the frame in hand, from any thread (Ctrl-C): {@link #run} then
     * returns what each did. A camera waiting to be opened again is not opened.
     */
    public void stop() {
        stopRequested.countDown();
        running.forEach(CameraIngest::stop);
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    /** Frames this camera will have read at the end of this run: its count, or what the source holds; -1 when endless or unknown. */
    private static long total(CameraConfig camera, FrameSource source, long before) {
        long size = camera.loop() ? -1 : source.size();
        if (size < 0) {
            return camera.count();
        }
        return camera.count() < 0 ? before + size : Math.min(camera.count(), before + size);
    }
}
