package dev.framestream.engine.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool of worker threads that runs parallel loops together with the calling thread.
 *
 * <p>{@link #parallelFor} hands out items one at a time from a shared counter, so fast threads take
 * more, and returns when every item has run. The calling thread works too (slot 0), so a pool of
 * {@code n} threads starts {@code n - 1} workers.
 */
public final class WorkerPool implements AutoCloseable {
    /*
     * Why spin: waking a parked thread takes longer than a whole layer of a small batch
     * (measurements: docs/benchmarks.md#engine-kernels). Workers spin for SPIN_NANOS after their
     * last item before they park, so the layers of one forward pass reach warm workers; an idle
     * pool parks and costs nothing.
     *
     * The job word packs (generation << 40 | count << 20 | next). A worker claims an item by a CAS
     * that also checks the generation and the count, so a worker that woke late for an old job can
     * never run an item of a newer one, and the count it compares with is the count of the job it
     * claims from. The task reference is read only after a successful claim: the job cannot have
     * finished then (its item is unfinished), so the caller has not replaced the task yet.
     */
    private static final long SPIN_NANOS = 200_000;
    private static final int MAX_ITEMS = (1 << 20) - 1;

    private final int threads;
    private final Thread[] workers;
    private final AtomicIntegerArray parked;
    private final AtomicLong job = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ReentrantLock owner = new ReentrantLock();
    private volatile ParallelTask task;
    private volatile boolean closed;

    /** A pool of {@code threads} threads in all, the caller included; 1 runs everything inline. */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a worker pool needs at least 1 thread, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(threads);
        for (int i = 0; i < workers.length; i++) {
            int slot = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("framestream-engine-" + slot).unstarted(() -> work(slot));
            workers[i].start();
        }
    }

    /** A pool sized to the machine's cores. */
    public static WorkerPool ofAvailableProcessors() {
        return new WorkerPool(Runtime.getRuntime().availableProcessors());
    }

    /** Number of threads, the caller's included: the number of scratch slots callers need. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} for every index in {@code [0, count)} and returns when all have finished.
     * A failure in any item is rethrown here after the others finished. When another thread is
     * using the pool, this call runs its items inline on the calling thread (slot 0) instead of
     * waiting, so concurrent callers never block each other.
     */
    public void parallelFor(int count, ParallelTask body) {
        if (count <= 0) {
            return;
        }
        if (count == 1 || threads == 1 || !owner.tryLock()) {
            for (int i = 0; i < count; i++) {
                body.run(i, 0);
            }
            return;
        }
        try {
            if (count > MAX_ITEMS) {
                throw new IllegalArgumentException("parallelFor supports at most " + MAX_ITEMS + " items, got " + count);
            }
            ensureOpen();
            task = body;
            finished.set(0);
            long generation = (job.get() >>> 40) + 1;
            long start = (generation << 40) | ((long) count << 20);
            job.set(start);
            for (int i = 1; i < threads; i++) {
                if (parked.get(i) != 0) {
                    LockSupport.unpark(workers[i - 1]);
                }
            }
            runItems(generation, 0);
            while (finished.get() < count) {
                Thread.onSpinWait();
            }
            Throwable error = failure.getAndSet(null);
            if (error != null) {
                rethrow(error);
            }
        } finally {
            owner.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the worker pool is closed");
        }
    }

    /** Claims and runs items of job {@code generation} until none is left; returns true if it ran any. */
    private boolean runItems(long generation, int slot) {
        boolean ran = false;
        while (true) {
            long word = job.get();
            int next = (int) (word & MAX_ITEMS);
            int count = (int) ((word >>> 20) & MAX_ITEMS);
            if ((word >>> 40) != generation || next >= count) {
                return ran;
            }
            if (!job.compareAndSet(word, word + 1)) {
                continue;
            }
            ran = true;
            try {
                task.run(next, slot);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                finished.incrementAndGet();
            }
        }
    }

    private void work(int slot) {
        long seen = 0;
        long idleSince = System.nanoTime();
        while (!closed) {
            long generation = job.get() >>> 40;
            if (generation != seen) {
                seen = generation;
                if (runItems(generation, slot)) {
                    idleSince = System.nanoTime();
                }
                continue;
            }
            if (System.nanoTime() - idleSince < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            parked.set(slot, 1);
            // Re-check after announcing: a job published before the flag was visible would
            // otherwise find us parked with nobody to wake us.
            if ((job.get() >>> 40) == seen && !closed) {
                LockSupport.park(this);
            }
            parked.set(slot, 0);
            idleSince = System.nanoTime();
        }
    }

    private static void rethrow(Throwable error) {
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        throw new IllegalStateException("a parallel task failed", error);
    }

    /** Stops the workers; items already running finish. */
    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        for (Thread worker : workers) {
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
