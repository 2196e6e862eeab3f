package dev.framestream.classifier.batching;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
import dev.framestream.classifier.PendingFrame;
import dev.framestream.classifier.inference.InferenceQueue;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.RecordDecodingException;

/**
 * Gathers a task's accepted frames into micro-batches: a frame waits in the changelogged
 * {@link PendingFrames} store until {@code maxBatch} frames wait (the batch goes at once) or the
 * oldest has waited {@code maxWait} of wall-clock time (a punctuation sends whatever waits). Each
 * batch runs on the model version serving when it goes, so a swap falls between two batches.
 *
 * <p>A batch goes to the {@link InferenceQueue}, and this task goes on reading while the engine
 * runs it. Its classifications are forwarded, and its frames deleted from the store, at the task's
 * next record or tick after the engine finished, in the order the batches went: the order the
 * frames were read, so a camera's classifications keep its frames' order. A frame leaves the store
 * in the same transaction as its classification, so a crash before then classifies it again, once.
 * At most {@value #IN_FLIGHT} batches of a task are with the engine; another due batch waits for
 * the oldest.
 *
 * <p>Before any model serves, frames stay in the store (nothing is lost; the changelog keeps
 * them across restarts) and go as soon as one arrives. The store holds each frame's position; its
 * bytes wait here in memory, and come back from the frames topic after a restore.
 */
public final class MicroBatcher implements Processor<String, Outcome, String, Outcome> {
    /** The header that names the instance which classified a record (its bytes: the name in UTF-8). */
    public static final String CLASSIFIED_BY_HEADER = "framestream.classified-by";
    /** The Kafka Streams setting that names this instance, for {@link #CLASSIFIED_BY_HEADER}; absent: no header. */
    public static final String INSTANCE_CONFIG = "framestream.instance";

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    private static final long WAITING_LOG_INTERVAL_MS = 30_000;
    /** One batch running and the next one ready, so the engine never waits for this task. */
    private static final int IN_FLIGHT = 2;

    private final ClassifierSettings settings;
    private final Supplier<ServingModel> models;
    private final InferenceQueue engine;
    private final ClassifierMetrics metrics;
    private final LongSupplier wallClock;
    private final FrameFetcher fetcher;
    /** Frames in the store not yet sent, oldest first (the store's order, since both follow offsets). */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Batches sent to the engine and not yet forwarded, oldest first. */
    private final ArrayDeque<Sent> sent = new ArrayDeque<>();
    private ProcessorContext<String, Outcome> context;
    private KeyValueStore<Bytes, PendingFrame> store;
    private long waitingLoggedAt = Long.MIN_VALUE;
    private byte[] instance;

    /**
     * A frame waiting for its batch.
     *
     * @param whole   the frame with its bytes, or null if they could not be read back after a restore
     * @param arrival wall-clock time it arrived (or was restored)
     */
    private record Waiting(Bytes key, PendingFrame stored, PendingFrame whole, long arrival) {
    }

    /** A batch with the engine: all its frames in order (those whose bytes were gone after a restore did not go to the engine). */
    private record Sent(List<Waiting> frames, InferenceQueue.Batch batch) {
    }

    /**
     * @param wallClock milliseconds since the epoch, read fresh: Kafka Streams' own notion of
     *                  "now" is cached per loop and can be a whole engine batch old, which would
     *                  make frames look older than they are and send batches half full
     */
    public MicroBatcher(ClassifierSettings settings, Supplier<ServingModel> models, InferenceQueue engine, ClassifierMetrics metrics,
                        LongSupplier wallClock, FrameFetcher fetcher) {
        this.settings = settings;
        this.models = models;
        this.engine = engine;
        this.metrics = metrics;
        this.wallClock = wallClock;
        this.fetcher = fetcher;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.store = context.getStateStore(PendingFrames.STORE);
        Object name = context.appConfigs().get(INSTANCE_CONFIG);
        this.instance = name == null ? null : name.toString().getBytes(StandardCharsets.UTF_8);
        // Frames restored from the changelog after a restart or a rebalance: their wait starts now,
        // and their bytes come back from the topic they were read from.
        long now = wallClock.getAsLong();
        List<KeyValue<Bytes, PendingFrame>> restored = new ArrayList<>();
        try (KeyValueIterator<Bytes, PendingFrame> all = store.all()) {
            all.forEachRemaining(restored::add);
        }
        if (!restored.isEmpty()) {
            Map<DeadLetters.Origin, PendingFrame> stored = new HashMap<>();
            restored.forEach(entry -> stored.put(entry.value.origin(), entry.value));
            Map<DeadLetters.Origin, PendingFrame> whole = new HashMap<>();
            fetcher.fetch(stored.keySet()).forEach((origin, bytes) -> {
                try {
                    whole.put(origin, stored.get(origin).restored(bytes));
                } catch (RecordDecodingException e) {
                    LOG.warn("frame {} no longer decodes as it did when it was validated: {}", origin, e.getMessage());
                }
            });
            restored.forEach(entry -> waiting.add(new Waiting(entry.key, entry.value, whole.get(entry.value.origin()), now)));
            LOG.info("task {}: {} waiting frames restored to the batch store ({} could not be read back)", context.taskId(),
                    restored.size(), restored.size() - whole.size());
        }
        metrics.pendingChanged(waiting.size());
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    @Override
    public void process(Record<String, Outcome> record) {
        if (!(record.value() instanceof Outcome.Accepted accepted)) {
            throw new IllegalArgumentException("the batcher takes accepted frames only, got " + record.value());
        }
        Bytes key = PendingFrames.keyOf(accepted.frame().origin());
        store.put(key, accepted.frame());
        waiting.add(new Waiting(key, accepted.frame(), accepted.frame(), wallClock.getAsLong()));
        metrics.pendingChanged(1);
        forwardFinished();
        if (waiting.size() >= settings.maxBatch()) {
            send(false);
        }
    }

    private void onTick(long scheduled) {
        forwardFinished();
        if (!waiting.isEmpty() && wallClock.getAsLong() - waiting.peekFirst().arrival() >= settings.maxWait().toMillis()) {
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
        while (waiting.size() >= settings.maxBatch() || (due && !waiting.isEmpty())) {
            if (sent.size() >= IN_FLIGHT) {
                forward(sent.poll());
            }
            int size = Math.min(waiting.size(), settings.maxBatch());
            List<Waiting> frames = new ArrayList<>(size);
            List<PendingFrame> whole = new ArrayList<>(size);
            while (frames.size() < size) {
                Waiting frame = waiting.poll();
                frames.add(frame);
                if (frame.whole() != null) {
                    whole.add(frame.whole());
                }
            }
            sent.add(new Sent(frames, engine.submit(whole, serving)));
        }
    }

    /** Forwards the batches the engine has finished, oldest first, stopping at the first still running. */
    private void forwardFinished() {
        while (!sent.isEmpty() && sent.peek().batch().isDone()) {
            forward(sent.poll());
        }
    }

    /**
     * Forwards a batch's outcomes (waiting for the engine if it still runs) and deletes its frames
     * from the store, in this task's transaction.
     */
    private void forward(Sent batch) {
        List<Outcome> outcomes = batch.batch().outcomes();
        long now = wallClock.getAsLong();
        int next = 0;
        for (Waiting frame : batch.frames()) {
            Outcome outcome = frame.whole() != null ? outcomes.get(next++) : gone(frame.stored(), now);
            Headers headers = new RecordHeaders();
            if (instance != null) {
                headers.add(CLASSIFIED_BY_HEADER, instance);
            }
            context.forward(new Record<>(frame.stored().cameraId(), outcome, now, headers));
            store.delete(frame.key());
        }
        metrics.pendingChanged(-batch.frames().size());
    }

    private static Outcome gone(PendingFrame frame, long now) {
        return new Outcome.Refused(DeadLetters.of(ClassifierMetrics.SERVICE, frame.origin(), Reason.OTHER, "frame " + frame.origin()
                + " of camera \"" + frame.cameraId() + "\" waited in a batch store across a restart and could not be read back from the"
                + " topic when it was restored (its retention passed); raise the topic's retention.ms", frame.key(), null, Instant.ofEpochMilli(now)));
    }

    private void logWaiting() {
        long now = wallClock.getAsLong();
        if (now - waitingLoggedAt >= WAITING_LOG_INTERVAL_MS) {
            waitingLoggedAt = now;
            LOG.info("task {}: no model serves yet; {} frames wait in the batch store for the first valid weights",
                    context.taskId(), waiting.size());
        }
    }

    @Override
    public void close() {
        // The frames stay in the store (and its changelog) for whichever task owns the partition
        // next; batches still with the engine are dropped unforwarded, so they are classified once, there.
        sent.forEach(batch -> batch.batch().cancel());
        metrics.pendingChanged(-(waiting.size() + sent.stream().mapToInt(batch -> batch.frames().size()).sum()));
        sent.clear();
        waiting.clear();
    }
}
