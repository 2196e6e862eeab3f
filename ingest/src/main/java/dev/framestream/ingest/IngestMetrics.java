package dev.framestream.ingest;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One camera's meters, tagged {@code camera=<id>}: frames read, published, skipped (tag
 * {@code reason=pacing|gate}), corrupt frames skipped by the decoder, records the broker
 * acknowledged or refused, and the publish latency
 * (send to acknowledgement). The dashboards query exactly these names.
 */
public final class IngestMetrics {
    private final Counter read;
    private final Counter published;
    private final Counter skippedByPacing;
    private final Counter skippedByGate;
    private final Counter decodeErrors;
    private final Counter acknowledged;
    private final Counter failed;
    private final Timer publishLatency;

    public IngestMetrics(MeterRegistry registry, String cameraId) {
        this.read = Counter.builder("framestream.ingest.frames.read").description("Frames read from the source")
                .tag("camera", cameraId).register(registry);
        this.published = Counter.builder("framestream.ingest.frames.published").description("Frames handed to the producer")
                .tag("camera", cameraId).register(registry);
        this.skippedByPacing = Counter.builder("framestream.ingest.frames.skipped").description("Frames not published")
                .tag("camera", cameraId).tag("reason", "pacing").register(registry);
        this.skippedByGate = Counter.builder("framestream.ingest.frames.skipped").description("Frames not published")
                .tag("camera", cameraId).tag("reason", "gate").register(registry);
        this.decodeErrors = Counter.builder("framestream.ingest.decode.errors").description("Corrupt frames the source skipped")
                .tag("camera", cameraId).register(registry);
        this.acknowledged = Counter.builder("framestream.ingest.records.acknowledged").description("Records the broker acknowledged")
                .tag("camera", cameraId).register(registry);
        this.failed = Counter.builder("framestream.ingest.records.failed").description("Records that failed after the producer's retries")
                .tag("camera", cameraId).register(registry);
        this.publishLatency = Timer.builder("framestream.ingest.publish.latency").description("From send to the broker's acknowledgement")
                .tag("camera", cameraId).publishPercentileHistogram().register(registry);
    }

    /** Meters that record nothing, for callers without a registry. */
    public static IngestMetrics none(String cameraId) {
        return new IngestMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), cameraId);
    }

    /** A frame came from the source. */
    public void frameRead() {
        read.increment();
    }

    /** A frame was handed to the producer. */
    public void framePublished() {
        published.increment();
    }

    /** A frame was left out by the pacer ({@code --fps}). */
    public void skippedByPacing() {
        skippedByPacing.increment();
    }

    /** A frame was left out by the motion gate ({@code --motion-threshold}). */
    public void skippedByGate() {
        skippedByGate.increment();
    }

    /** The source skipped {@code count} frames it could not decode. */
    public void decodeErrors(long count) {
        decodeErrors.increment(count);
    }

    /** A send's outcome, {@code nanos} after it was sent. */
    public void sent(boolean ok, long nanos) {
        (ok ? acknowledged : failed).increment();
        publishLatency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
