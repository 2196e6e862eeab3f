package dev.framestream.classifier;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.framestream.schemas.Reason;

/**
 * The classifier's meters; the dashboards query exactly these names. Frames in and out are tagged
 * {@code camera} (bounded: see {@link CameraLabels}), dead letters and rejected weights {@code reason} (the DeadLetter reason codes).
 * Consumer lag comes from Kafka's own client metrics, bound next to these by the service.
 */
public final class ClassifierMetrics {
    /** The service name in dead letters and logs. */
    public static final String SERVICE = "classifier";

    private final MeterRegistry registry;
    private final CameraLabels cameras = new CameraLabels();
    private final Map<String, Counter> framesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final Map<Reason, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<Reason, Counter> rejectedWeights = new ConcurrentHashMap<>();
    private final DistributionSummary batchSize;
    private final Timer preprocessTime;
    private final Timer engineTime;
    private final Timer latency;
    private final Counter swaps;
    private final Counter scoredCorrect;
    private final Counter scoredWrong;
    private final AtomicLong modelVersion = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();

    public ClassifierMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("framestream.classifier.batch.size").description("Frames per engine call")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        this.preprocessTime = Timer.builder("framestream.classifier.preprocess.time")
                .description("Turning a batch's pixels into the engine's input").publishPercentileHistogram().register(registry);
        this.engineTime = Timer.builder("framestream.classifier.engine.time").description("The engine's forward pass over one batch")
                .publishPercentileHistogram().register(registry);
        this.latency = Timer.builder("framestream.classifier.latency").description("From a frame's capture to its classification")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        this.swaps = Counter.builder("framestream.classifier.model.swaps").description("Model versions swapped in").register(registry);
        this.scoredCorrect = scored(registry, "correct");
        this.scoredWrong = scored(registry, "wrong");
        Gauge.builder("framestream.classifier.model.version", modelVersion, AtomicLong::get)
                .description("The model version serving now; 0 before any").register(registry);
        Gauge.builder("framestream.classifier.frames.pending", pending, AtomicLong::get)
                .description("Frames waiting in the batch stores of this instance").register(registry);
        // Every reason from the start, at zero: a dashboard shows 0 rather than "no data", and rate() sees the first one.
        for (Reason reason : Reason.values()) {
            deadLetterCounter(reason);
            rejectedWeightsCounter(reason);
        }
    }

    public void frameIn(String camera) {
        framesIn.computeIfAbsent(cameras.of(camera), c -> Counter.builder("framestream.classifier.frames.in")
                .description("Frame records read").tag("camera", c).register(registry)).increment();
    }

    public void classified(String camera, long latencyMillis) {
        framesOut.computeIfAbsent(cameras.of(camera), c -> Counter.builder("framestream.classifier.frames.out")
                .description("Classifications written").tag("camera", c).register(registry)).increment();
        latency.record(Math.max(0, latencyMillis), TimeUnit.MILLISECONDS);
    }

    /** Frames classified by this instance so far, every camera's. */
    public double classifiedSoFar() {
        return framesOut.values().stream().mapToDouble(Counter::count).sum();
    }

    /** Classified frames with a truth the serving model knows: the live accuracy of the version serving, on labelled traffic. */
    public void scored(boolean correct) {
        (correct ? scoredCorrect : scoredWrong).increment();
    }

    private static Counter scored(MeterRegistry registry, String outcome) {
        return Counter.builder("framestream.classifier.frames.scored")
                .description("Classified frames that carried a truth the model knows, by whether the top label was it")
                .tag("outcome", outcome).register(registry);
    }

    public void deadLettered(Reason reason) {
        deadLetterCounter(reason).increment();
    }

    private Counter deadLetterCounter(Reason reason) {
        return deadLettered.computeIfAbsent(reason, r -> Counter.builder("framestream.classifier.frames.dead.lettered")
                .description("Frame records sent to the dead-letter topic").tag("reason", r.name()).register(registry));
    }

    public void batchRan(int frames, long preprocessNanos, long engineNanos) {
        batchSize.record(frames);
        preprocessTime.record(preprocessNanos, TimeUnit.NANOSECONDS);
        engineTime.record(engineNanos, TimeUnit.NANOSECONDS);
    }

    public void pendingChanged(long delta) {
        pending.addAndGet(delta);
    }

    public void swapped(long version) {
        modelVersion.set(version);
        swaps.increment();
    }

    public void weightsRejected(Reason reason) {
        rejectedWeightsCounter(reason).increment();
    }

    private Counter rejectedWeightsCounter(Reason reason) {
        return rejectedWeights.computeIfAbsent(reason, r -> Counter.builder("framestream.classifier.weights.rejected")
                .description("Model versions refused by validation").tag("reason", r.name()).register(registry));
    }

    public MeterRegistry registry() {
        return registry;
    }
}
