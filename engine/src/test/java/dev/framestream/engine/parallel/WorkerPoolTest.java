package dev.framestream.engine.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void runsEveryItemExactlyOnceAcrossManyJobs() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int job = 0; job < 2000; job++) {
                int count = 1 + job % 37;
                AtomicIntegerArray runs = new AtomicIntegerArray(count);
                pool.parallelFor(count, (i, worker) -> runs.incrementAndGet(i));
                for (int i = 0; i < count; i++) {
                    assertEquals(1, runs.get(i), "job " + job + " item " + i);
                }
            }
        }
    }

    @Test
    void noTwoItemsShareAWorkerSlotAtTheSameTime() {
        try (WorkerPool pool = new WorkerPool(3)) {
            AtomicIntegerArray busy = new AtomicIntegerArray(3);
            ConcurrentHashMap<Integer, Boolean> clash = new ConcurrentHashMap<>();
            pool.parallelFor(3000, (i, worker) -> {
                if (busy.getAndIncrement(worker) != 0) {
                    clash.put(i, true);
                }
                Thread.onSpinWait();
                busy.decrementAndGet(worker);
            });
            assertTrue(clash.isEmpty(), "items sharing a slot: " + clash.keySet());
        }
    }

    @Test
    void usesTheWorkersNotOnlyTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            ConcurrentHashMap<Integer, Boolean> slots = new ConcurrentHashMap<>();
            CountDownLatch both = new CountDownLatch(2);
            pool.parallelFor(2, (i, worker) -> {
                slots.put(worker, true);
                both.countDown();
                try {
                    // Each item waits for the other: only two threads at once can finish this job.
                    assertTrue(both.await(10, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals(2, slots.size());
        }
    }

    @Test
    void rethrowsAnItemsFailureAfterTheOthersFinishAndStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(10);
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> pool.parallelFor(10, (i, worker) -> {
                runs.incrementAndGet(i);
                if (i == 4) {
                    throw new IllegalStateException("item 4 failed");
                }
            }));
            assertEquals("item 4 failed", error.getMessage());
            for (int i = 0; i < 10; i++) {
                assertEquals(1, runs.get(i));
            }
            AtomicIntegerArray again = new AtomicIntegerArray(5);
            pool.parallelFor(5, (i, worker) -> again.incrementAndGet(i));
            assertEquals(1, again.get(4));
        }
    }

    @Test
    void concurrentCallersEachGetAllTheirItems() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            int callers = 4;
            AtomicIntegerArray totals = new AtomicIntegerArray(callers);
            Thread[] threads = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int caller = c;
                threads[c] = new Thread(() -> {
                    for (int job = 0; job < 300; job++) {
                        pool.parallelFor(10, (i, worker) -> totals.incrementAndGet(caller));
                    }
                });
                threads[c].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            for (int c = 0; c < callers; c++) {
                assertEquals(3000, totals.get(c), "caller " + c);
            }
        }
    }

    @Test
    void closeStopsTheWorkerThreads() throws InterruptedException {
        WorkerPool pool = new WorkerPool(3);
        pool.parallelFor(10, (i, worker) -> { });
        pool.close();
        Thread.sleep(50);
        boolean alive = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("framestream-engine-") && t.isAlive());
        assertFalse(alive, "worker threads still running after close");
        assertThrows(IllegalStateException.class, () -> pool.parallelFor(5, (i, worker) -> { }));
    }
}
