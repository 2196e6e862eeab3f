package dev.framestream.trainer.online;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.framestream.schemas.Reason;

/**
 * The online trainer's meters; the dashboards query exactly these names. The training figures
 * (steps, examples, loss, accuracies) are read from the {@link OnlineLearner} when scraped, the
 * same figures the training.progress records carry.
 */
public final class TrainerMetrics {
    /** The service name in dead letters and logs. */
    public static final String SERVICE = "trainer";

    private final MeterRegistry registry;
    private final Counter framesIn;
    private final Counter heldOut;
    private final Map<Reason, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Counter published;
    private final Counter rejected;
    private final Timer checkpointTime;
    private final AtomicLong version = new AtomicLong();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.framesIn = Counter.builder("framestream.trainer.frames.in").description("Labelled frame records read").register(registry);
        this.heldOut = Counter.builder("framestream.trainer.frames.held.out").description("Frames kept for validation, never trained on")
                .register(registry);
        this.published = Counter.builder("framestream.trainer.versions.published").description("Versions that passed the gate and were published")
                .register(registry);
        this.rejected = Counter.builder("framestream.trainer.versions.rejected")
                .description("Challengers the gate found worse than the champion, not published").register(registry);
        this.checkpointTime = Timer.builder("framestream.trainer.checkpoint.time")
                .description("Judging a challenger and committing the transaction of a checkpoint").register(registry);
        Gauge.builder("framestream.trainer.model.version", version, AtomicLong::get)
                .description("The latest version published; 0 before any").register(registry);
        // Every reason from the start, at zero: a dashboard shows 0 rather than "no data", and rate() sees the first one.
        for (Reason reason : Reason.values()) {
            deadLetterCounter(reason);
        }
    }

    /** Reads the learner's figures from now on. */
    void bind(OnlineLearner learner) {
        FunctionCounter.builder("framestream.trainer.steps", learner, OnlineLearner::steps).description("Optimiser steps").register(registry);
        FunctionCounter.builder("framestream.trainer.examples", learner, OnlineLearner::examplesSeen)
                .description("Training examples stepped on, counting replays").register(registry);
        FunctionCounter.builder("framestream.trainer.reverts", learner, OnlineLearner::reverts)
                .description("Times training went back to the champion's weights").register(registry);
        Gauge.builder("framestream.trainer.loss", learner, OnlineLearner::recentLoss).description("Mean training loss of the last steps")
                .register(registry);
        Gauge.builder("framestream.trainer.train.accuracy", learner, OnlineLearner::prequentialAccuracy)
                .description("Share of the last fresh frames classified right just before training on them").register(registry);
        Gauge.builder("framestream.trainer.validation.accuracy", learner, l -> l.lastJudgement() == null || l.lastJudgement().challenger() == null
                        ? Double.NaN : l.lastJudgement().challenger().accuracy())
                .description("The challenger's accuracy on the held-out frames at the last checkpoint").register(registry);
        Gauge.builder("framestream.trainer.validation.loss", learner, l -> l.lastJudgement() == null || l.lastJudgement().challenger() == null
                        ? Double.NaN : l.lastJudgement().challenger().loss())
                .description("The challenger's loss on the held-out frames at the last checkpoint").register(registry);
        Gauge.builder("framestream.trainer.replay.size", learner, OnlineLearner::replaySize).description("Examples in the replay buffer")
                .register(registry);
        Gauge.builder("framestream.trainer.held.out.window", learner, OnlineLearner::heldOut)
                .description("Held-out frames the gate scores on").register(registry);
    }

    void learningRate(double rate) {
        Gauge.builder("framestream.trainer.learning.rate", () -> rate).description("The learning rate of the steps").register(registry);
    }

    void frameIn(boolean held) {
        framesIn.increment();
        if (held) {
            heldOut.increment();
        }
    }

    void deadLettered(Reason reason) {
        deadLetterCounter(reason).increment();
    }

    private Counter deadLetterCounter(Reason reason) {
        return deadLettered.computeIfAbsent(reason, r -> Counter.builder("framestream.trainer.frames.dead.lettered")
                .description("Labelled frame records sent to the dead-letter topic").tag("reason", r.name()).register(registry));
    }

    void published(long newVersion) {
        published.increment();
        version.set(newVersion);
    }

    void resumedAt(long latestVersion) {
        version.set(latestVersion);
    }

    void rejected() {
        rejected.increment();
    }

    Timer checkpointTime() {
        return checkpointTime;
    }
}
