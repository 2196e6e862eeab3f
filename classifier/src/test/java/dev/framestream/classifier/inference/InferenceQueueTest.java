package dev.framestream.classifier.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.Outcome;
import dev.framestream.classifier.PendingFrame;
import dev.framestream.classifier.TestModels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.model.Model;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.PixelFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The queue that runs every task's batches: batches that wait together run as one engine call and
 * each gets its own outcomes. The first batch of each test is a large one on a one-thread pool, so
 * the small ones after it are queued (in microseconds) while it runs (for milliseconds).
 */
class InferenceQueueTest {
    private static final String SPEC = "in 1x64x64 | conv 32 3x3 | relu | maxpool 2 | flatten | fc 3 | softmax";
    private static final int MAX_BATCH = 32;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerPool pool = new WorkerPool(1);
    private final InferenceQueue queue = new InferenceQueue(new BatchClassifier(2, false, new ClassifierMetrics(registry),
            System::currentTimeMillis), MAX_BATCH);

    @AfterEach
    void close() {
        queue.close();
        pool.close();
    }

    @Test
    void smallBatchesWaitingTogetherRunAsOneEngineCallAndEachGetsItsOwnOutcomesInOrder() throws InterruptedException {
        ServingModel serving = serving(TestModels.model("shapes", 1, SPEC, 1));
        List<List<PendingFrame>> batches = List.of(frames("a", 32), frames("b", 5), frames("c", 6), frames("d", 30));
        List<InferenceQueue.Batch> submitted = new ArrayList<>();
        batches.forEach(frames -> submitted.add(queue.submit(frames, serving)));
        queue.awaitIdle();

        var calls = registry.find("framestream.classifier.batch.size").summary();
        assertEquals(3, calls.count(), "a (32) alone, b and c (11) together, d (30) alone: 11 + 30 is over --max-batch");
        assertEquals(73, calls.totalAmount());
        for (int i = 0; i < batches.size(); i++) {
            List<Outcome> outcomes = submitted.get(i).outcomes();
            assertEquals(batches.get(i).size(), outcomes.size());
            for (int j = 0; j < outcomes.size(); j++) {
                Classification c = ((Outcome.Classified) outcomes.get(j)).classification();
                assertEquals(batches.get(i).get(j).cameraId(), c.getCameraId().toString());
                assertEquals(j, c.getSequence(), "the batch's own frames, in its order");
            }
        }
    }

    @Test
    void batchesForDifferentVersionsRunApartEachOnItsOwn() throws InterruptedException {
        ServingModel first = serving(TestModels.model("shapes", 1, SPEC, 1));
        ServingModel second = serving(TestModels.model("shapes", 2, SPEC, 2));
        queue.submit(frames("a", 32), first);
        InferenceQueue.Batch old = queue.submit(frames("b", 4), first);
        InferenceQueue.Batch swapped = queue.submit(frames("c", 4), second);
        queue.awaitIdle();

        assertEquals(3, registry.find("framestream.classifier.batch.size").summary().count());
        assertTrue(old.outcomes().stream().allMatch(o -> ((Outcome.Classified) o).classification().getModelVersion() == 1));
        assertTrue(swapped.outcomes().stream().allMatch(o -> ((Outcome.Classified) o).classification().getModelVersion() == 2));
    }

    @Test
    void aBatchCancelledBeforeItRunsIsSkipped() throws InterruptedException {
        ServingModel serving = serving(TestModels.model("shapes", 1, SPEC, 1));
        queue.submit(frames("a", 32), serving);
        InferenceQueue.Batch dropped = queue.submit(frames("b", 8), serving);
        dropped.cancel();
        InferenceQueue.Batch kept = queue.submit(frames("c", 8), serving);
        queue.awaitIdle();

        assertThrows(CancellationException.class, dropped::outcomes);
        assertEquals(8, kept.outcomes().size());
        assertEquals(40, registry.find("framestream.classifier.batch.size").summary().totalAmount(), "b's frames never ran");
    }

    @Test
    void anEmptyBatchIsDoneAtOnceAndAClosedQueueRefusesMore() {
        ServingModel serving = serving(TestModels.model("shapes", 1, SPEC, 1));
        InferenceQueue.Batch empty = queue.submit(List.of(), serving);
        assertTrue(empty.isDone());
        assertEquals(List.of(), empty.outcomes());
        queue.close();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> queue.submit(frames("a", 1), serving));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    }

    @Test
    void warmingUpStopsByItselfAndLeavesTheWorkspaceToRealBatches() throws InterruptedException {
        ServingModel serving = serving(TestModels.model("shapes", 1, SPEC, 1));
        queue.warmUp(serving, Duration.ofDays(1));
        queue.awaitIdle();
        int warmed = queue.warmUpBatchesRun();
        assertTrue(warmed > 0 && warmed <= 50, "ends after a bounded number of batches, not the day's budget: " + warmed);

        InferenceQueue.Batch real = queue.submit(frames("a", 7), serving);
        List<Outcome> outcomes = real.outcomes();
        assertEquals(7, outcomes.size());
        for (int j = 0; j < outcomes.size(); j++) {
            assertEquals(j, ((Outcome.Classified) outcomes.get(j)).classification().getSequence(), "the grey frames left nothing behind");
        }
        assertEquals(warmed, queue.warmUpBatchesRun(), "warming does not start again by itself");
    }

    @Test
    void aRealBatchStopsTheWarmUp() throws InterruptedException {
        ServingModel serving = serving(TestModels.model("shapes", 1, SPEC, 1));
        queue.warmUp(serving, Duration.ofDays(1));
        int warmedBefore;
        InferenceQueue.Batch real;
        synchronized (queue) {   // no warm-up batch can finish between the count and the submission
            warmedBefore = queue.warmUpBatchesRun();
            real = queue.submit(frames("a", 32), serving);
        }
        queue.awaitIdle();
        assertEquals(32, real.outcomes().size());
        assertTrue(queue.warmUpBatchesRun() <= warmedBefore + 1,
                "at most the warm-up batch already running went first: " + warmedBefore + " then " + queue.warmUpBatchesRun());
        assertEquals(1, registry.find("framestream.classifier.batch.size").summary().count(), "warm-up batches are not counted as served");
    }

    @Test
    void aWarmUpBudgetOfZeroRunsNothing() throws InterruptedException {
        queue.warmUp(serving(TestModels.model("shapes", 1, SPEC, 1)), Duration.ZERO);
        queue.awaitIdle();
        assertEquals(0, queue.warmUpBatchesRun());
    }

    private ServingModel serving(Model model) {
        return new ServingModel(model, new byte[32], pool, MAX_BATCH);
    }

    private static List<PendingFrame> frames(String camera, int count) {
        List<PendingFrame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Frame frame = TestModels.frame(camera, i, 64, 64, PixelFormat.GRAY8, camera.hashCode() * 31L + i, null);
            byte[] value = TestModels.bytes(frame);
            frames.add(new PendingFrame(new DeadLetters.Origin("frames", 0, i), camera, camera.getBytes(), value, frame));
        }
        return frames;
    }
}
