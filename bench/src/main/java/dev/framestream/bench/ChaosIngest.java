package dev.framestream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.framestream.ingest.CameraConfig;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.IngestRunner;

/**
 * The chaos benches' synthetic cameras, publishing 32x32 frames in real time on a thread of their
 * own while services are killed around them.
 */
final class ChaosIngest {
    private final FramePublisher publisher;
    private final IngestRunner runner;
    private final Thread thread;

    private ChaosIngest(FramePublisher publisher, List<CameraConfig> cameras) {
        this.publisher = publisher;
        this.runner = new IngestRunner(publisher, new SimpleMeterRegistry(), Duration.ofSeconds(1), Duration.ofSeconds(5), -1);
        this.thread = Thread.ofPlatform().name("chaos-ingest").start(() -> {
            try {
                runner.run(cameras, (camera, read, total) -> { });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Exactly {@code settings.frames()} frames across the cameras; every {@code labelledEvery}-th also labelled (0: none). */
    static ChaosIngest counted(FramePublisher publisher, ChaosBenchmark.Settings settings, double fpsPerCamera, int labelledEvery) {
        return new ChaosIngest(publisher, cameras(settings, fpsPerCamera, labelledEvery, true));
    }

    /** Frames until {@link #stopAfter} says enough, at least {@code settings.frames()} of them. */
    static ChaosIngest openEnded(FramePublisher publisher, ChaosBenchmark.Settings settings, double fpsPerCamera) {
        return new ChaosIngest(publisher, cameras(settings, fpsPerCamera, 0, false));
    }

    /** Waits until the cameras have published what they were given. */
    void join() throws InterruptedException {
        thread.join();
    }

    /** Once at least {@code frames} frames are acknowledged, stops the cameras and waits for them. */
    void stopAfter(long frames, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (publisher.framesAcknowledged() < frames && System.nanoTime() < deadline && thread.isAlive()) {
            Thread.sleep(50);
        }
        runner.stop();
        thread.join();
    }

    private static List<CameraConfig> cameras(ChaosBenchmark.Settings settings, double fpsPerCamera, int labelledEvery, boolean counted) {
        List<CameraConfig> cameras = new ArrayList<>();
        for (int i = 0; i < settings.cameras(); i++) {
            long count = settings.frames() / settings.cameras() + (i < settings.frames() % settings.cameras() ? 1 : 0);
            cameras.add(CameraConfig.builder("chaos-" + (i + 1), "synthetic").width(32).height(32).captureFps(fpsPerCamera)
                    .seed(settings.seed() + i).count(counted ? count : -1).realtime(true).labelledEvery(labelledEvery).build());
        }
        return cameras;
    }
}
