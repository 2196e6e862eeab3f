package dev.framestream.classifier.batching;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.classifier.Outcome;
import dev.framestream.classifier.inference.BatchClassifier;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.RecordDecodingException;

/**
 * Gathers a task's accepted frames into micro-batches: a frame waits in the changelogged
 * {@link PendingFrames} store until {@code maxBatch} frames wait (the batch goes at once) or the
 * oldest has waited {@code maxWait} of wall-clock time (a punctuation sends whatever waits). Each
 * batch runs on the model version serving when it starts, so a swap falls between two batches.
 * Outcomes leave in the store's order, which is the order the frames were read, so a camera's
 * classifications keep its frames' order.
 *
 * <p>Before any model serves, frames stay in the store (nothing is lost; the changelog keeps
 * them across restarts) and go as soon as one arrives. The store holds each frame's position; its
 * bytes wait here in memory, and come back from the frames topic after a restore.
 */
public final class MicroBatcher implements Processor<String, Outcome, String, Outcome> {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    private static final long WAITING_LOG_INTERVAL_MS = 30_000;

    private final ClassifierSettings settings;
    private final Supplier<ServingModel> models;
    private final BatchClassifier classifier;
    private final ClassifierMetrics metrics;
    private final LongSupplier wallClock;
    private final FrameFetcher fetcher;
    /** The frames in the store, whole: the store keeps their positions only (see PendingFrames). */
    private final Map<Bytes, PendingFrame> waiting = new HashMap<>();
    private ProcessorContext<String, Outcome> context;
    private KeyValueStore<Bytes, PendingFrame> store;
    /** Wall-clock arrival time of each waiting frame, oldest first: the store's order, since both follow offsets. */
    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private long waitingLoggedAt = Long.MIN_VALUE;

    /**
     * @param wallClock milliseconds since the epoch, read fresh: Kafka Streams' own notion of
     *                  "now" is cached per loop and can be a whole engine batch old, which would
     *                  make frames look older than they are and send batches half full
     */
    public MicroBatcher(ClassifierSettings settings, Supplier<ServingModel> models, BatchClassifier classifier, ClassifierMetrics metrics,
                        LongSupplier wallClock, FrameFetcher fetcher) {
        this.settings = settings;
        this.models = models;
        this.classifier = classifier;
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.fetcher = fetcher;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.store = context.getStateStore(PendingFrames.STORE);
        // Frames restored from the changelog after a restart or a rebalance: their wait starts now,
        // and their bytes come back from the topic they were read from.
        long now = wallClock.getAsLong();
        Map<DeadLetters.Origin, KeyValue<Bytes, PendingFrame>> restored = new HashMap<>();
        try (KeyValueIterator<Bytes, PendingFrame> all = store.all()) {
            all.forEachRemaining(entry -> {
                arrivals.add(now);
                restored.put(entry.value.origin(), entry);
            });
        }
        metrics.pendingChanged(arrivals.size());
        if (!restored.isEmpty()) {
            fetcher.fetch(restored.keySet()).forEach((origin, bytes) -> {
                KeyValue<Bytes, PendingFrame> entry = restored.get(origin);
                try {
                    waiting.put(entry.key, entry.value.restored(bytes));
                } catch (RecordDecodingException e) {
                    LOG.warn("frame {} no longer decodes as it did when it was validated: {}", origin, e.getMessage());
                }
            });
            LOG.info("task {}: {} waiting frames restored to the batch store ({} could not be read back)", context.taskId(),
                    restored.size(), restored.size() - waiting.size());
        }
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    @Override
    public void process(Record<String, Outcome> record) {
        if (!(record.value() instanceof Outcome.Accepted accepted)) {
            throw new IllegalArgumentException("the batcher takes accepted frames only, got " + record.value());
        }
        Bytes key = PendingFrames.keyOf(accepted.frame().origin());
        store.put(key, accepted.frame());
        waiting.put(key, accepted.frame());
        arrivals.add(wallClock.getAsLong());
        metrics.pendingChanged(1);
        if (arrivals.size() >= settings.maxBatch()) {
            send(false);
        }
    }

    private void onTick(long scheduled) {
        if (!arrivals.isEmpty() && wallClock.getAsLong() - arrivals.peekFirst() >= settings.maxWait().toMillis()) {
            send(true);
        }
    }

    /** Sends full batches, and when {@code due} the rest as well, if a model serves. */
    private void send(boolean due) {
        ServingModel serving = models.get();
        if (serving == null) {
            logWaiting();
            return;
        }
        while (arrivals.size() >= settings.maxBatch() || (due && !arrivals.isEmpty())) {
            List<KeyValue<Bytes, PendingFrame>> batch = oldest(settings.maxBatch());
            List<PendingFrame> frames = new ArrayList<>(batch.size());
            List<PendingFrame> gone = new ArrayList<>();
            for (KeyValue<Bytes, PendingFrame> entry : batch) {
                PendingFrame whole = waiting.remove(entry.key);
                if (whole != null) {
                    frames.add(whole);
                } else {
                    gone.add(entry.value);
                }
            }
            List<Outcome> outcomes = frames.isEmpty() ? List.of() : classifier.classify(frames, serving);
            long now = wallClock.getAsLong();
            for (int i = 0; i < outcomes.size(); i++) {
                context.forward(new Record<>(frames.get(i).cameraId(), outcomes.get(i), now));
            }
            for (PendingFrame frame : gone) {
                context.forward(new Record<>(frame.cameraId(), new Outcome.Refused(DeadLetters.of(ClassifierMetrics.SERVICE, frame.origin(),
                        Reason.OTHER, "frame " + frame.origin() + " of camera \"" + frame.cameraId() + "\" waited in a batch store across a restart"
                                + " and could not be read back from the topic when it was restored (its retention passed); raise the topic's retention.ms",
                        frame.key(), null, Instant.ofEpochMilli(now))), now));
            }
            for (KeyValue<Bytes, PendingFrame> entry : batch) {
                store.delete(entry.key);
                arrivals.pollFirst();
            }
            metrics.pendingChanged(-batch.size());
        }
    }

    private List<KeyValue<Bytes, PendingFrame>> oldest(int count) {
        List<KeyValue<Bytes, PendingFrame>> batch = new ArrayList<>(count);
        try (KeyValueIterator<Bytes, PendingFrame> all = store.all()) {
            while (batch.size() < count && all.hasNext()) {
                batch.add(all.next());
            }
        }
        return batch;
    }

    private void logWaiting() {
        long now = wallClock.getAsLong();
        if (now - waitingLoggedAt >= WAITING_LOG_INTERVAL_MS) {
            waitingLoggedAt = now;
            LOG.info("task {}: no model serves yet; {} frames wait in the batch store for the first valid weights",
                    context.taskId(), arrivals.size());
        }
    }

    @Override
    public void close() {
        // The frames stay in the store (and its changelog) for whichever task owns the partition next.
        metrics.pendingChanged(-arrivals.size());
        arrivals.clear();
        waiting.clear();
    }

}
