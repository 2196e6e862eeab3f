package dev.framestream.classifier.inference;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.framestream.classifier.Outcome;
import dev.framestream.classifier.PendingFrame;

/**
 * Runs the batches of every task of this instance through the engine on one thread of its own, so
 * the stream threads go on reading, storing and committing while the engine works: a stream thread
 * that waited for each batch left the engine idle for part of every drain (measurements:
 * docs/benchmarks.md).
 *
 * <p>Batches run in the order they were submitted. Batches waiting together for the same model
 * version run as one engine call while they fit in {@code maxBatch} frames, so the half-full
 * batches of several partitions' tasks (each sends what it has once its oldest frame waited
 * {@code --max-wait-ms}) fill one call between them. Each batch gets its own outcomes back, in its
 * own order.
 */
public final class InferenceQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceQueue.class);
    private static final int WARM_BATCHES = 50;

    private final BatchClassifier classifier;
    private final int maxBatch;
    private final ArrayDeque<Batch> queued = new ArrayDeque<>();
    private final Thread thread;
    private boolean running;
    private boolean closed;
    /** The version to warm the engine on while no batch waits, until {@link #warmUntil} (nanoTime); null: none. */
    private ServingModel warming;
    private long warmUntil;
    private int warmBatchesLeft;
    private int warmBatchesRun;

    /** A submitted batch: its outcomes, one per frame in order, once the engine ran it. */
    public static final class Batch {
        private final List<PendingFrame> frames;
        private final ServingModel serving;
        private final CompletableFuture<List<Outcome>> outcomes = new CompletableFuture<>();

        private Batch(List<PendingFrame> frames, ServingModel serving) {
            this.frames = List.copyOf(frames);
            this.serving = serving;
        }

        public boolean isDone() {
            return outcomes.isDone();
        }

        /** Waits for the outcomes; a failure of the engine is rethrown here. */
        public List<Outcome> outcomes() {
            return outcomes.join();
        }

        /** Its task no longer wants it (the task closed): it is skipped if it has not started. */
        public void cancel() {
            outcomes.cancel(false);
        }
    }

    public InferenceQueue(BatchClassifier classifier, int maxBatch) {
        this.classifier = classifier;
        this.maxBatch = maxBatch;
        this.thread = Thread.ofPlatform().daemon().name("framestream-inference").start(this::run);
    }

    /** Queues {@code frames} (at most {@code maxBatch}) to run on {@code serving}. */
    public Batch submit(List<PendingFrame> frames, ServingModel serving) {
        Batch batch = new Batch(frames, serving);
        if (frames.isEmpty()) {
            batch.outcomes.complete(List.of());
            return batch;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the inference queue is closed");
            }
            queued.add(batch);
            notifyAll();
        }
        return batch;
    }

    /**
     * Runs full batches of grey frames on {@code serving} for up to {@code budget}, while no real
     * batch waits: a fresh JVM runs its first batches interpreted, many times slower, and a
     * restarted classifier would otherwise pay that on its first frames. A real batch goes first;
     * warming stops then, since real batches warm the engine as well. It also stops after
     * {@value #WARM_BATCHES} batches, about when the JIT has compiled the kernels, so it does not
     * keep a core busy while the rest of the classifier starts.
     */
    public synchronized void warmUp(ServingModel serving, Duration budget) {
        warming = serving;
        warmUntil = System.nanoTime() + budget.toNanos();
        warmBatchesLeft = WARM_BATCHES;
        notifyAll();
    }

    /** How many warm-up batches have run. */
    public synchronized int warmUpBatchesRun() {
        return warmBatchesRun;
    }

    /** Waits until every batch submitted so far has run and a warm-up asked for has ended. */
    public synchronized void awaitIdle() throws InterruptedException {
        while (!queued.isEmpty() || running || (warming != null && !closed)) {
            wait();
        }
    }

    private void run() {
        while (true) {
            List<Batch> call;
            ServingModel warm;
            synchronized (this) {
                running = false;
                notifyAll();
                while (queued.isEmpty() && !closed && warming == null) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    queued.forEach(Batch::cancel);
                    queued.clear();
                    return;
                }
                if (warming != null && (!queued.isEmpty() || System.nanoTime() >= warmUntil || warmBatchesLeft-- <= 0)) {
                    warming = null;
                }
                warm = warming;
                call = warm == null ? takeOneCall() : List.of();
                running = true;
            }
            if (warm != null) {
                warmUp(warm);
            } else {
                runCall(call);
            }
        }
    }

    private void warmUp(ServingModel serving) {
        try {
            serving.runWarmUpBatch();
            synchronized (this) {
                warmBatchesRun++;
            }
        } catch (RuntimeException e) {
            LOG.warn("warming the engine up on {} failed; the first batches will run cold: {}", serving, e.toString());
            synchronized (this) {
                warming = null;
            }
        }
    }

    /** The oldest live batch and the ones after it on the same version that still fit. */
    private List<Batch> takeOneCall() {
        List<Batch> call = new ArrayList<>();
        int frames = 0;
        while (!queued.isEmpty()) {
            Batch next = queued.peek();
            if (next.outcomes.isCancelled()) {
                queued.poll();
                continue;
            }
            if (!call.isEmpty() && (next.serving != call.getFirst().serving || frames + next.frames.size() > maxBatch)) {
                break;
            }
            call.add(queued.poll());
            frames += next.frames.size();
        }
        return call;
    }

    private void runCall(List<Batch> call) {
        if (call.isEmpty()) {
            return;
        }
        try {
            List<PendingFrame> frames = new ArrayList<>();
            call.forEach(batch -> frames.addAll(batch.frames));
            List<Outcome> outcomes = classifier.classify(frames, call.getFirst().serving);
            int from = 0;
            for (Batch batch : call) {
                batch.outcomes.complete(outcomes.subList(from, from + batch.frames.size()));
                from += batch.frames.size();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("the engine failed on a batch of {} submissions", call.size(), e);
            call.forEach(batch -> batch.outcomes.completeExceptionally(e));
        }
    }

    /** Stops the thread after the call it is running; batches still queued are cancelled. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
