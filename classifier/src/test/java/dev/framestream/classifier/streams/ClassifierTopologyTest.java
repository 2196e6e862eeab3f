package dev.framestream.classifier.streams;

import static dev.framestream.classifier.TestModels.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.framestream.classifier.TestModels;
import dev.framestream.classifier.batching.MicroBatcher;
import dev.framestream.classifier.batching.PendingFrames;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.media.Image;
import dev.framestream.model.Model;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.TopicNames;

/** The topology's behaviour under TopologyTestDriver: batching, outputs, dead letters, swaps, waiting. */
class ClassifierTopologyTest {
    private static final Duration WAIT = Duration.ofMillis(200);
    private TopologyHarness harness;

    @AfterEach
    void close() {
        harness.close();
    }

    private TopologyHarness start(int maxBatch, boolean exactSize) {
        harness = new TopologyHarness(maxBatch, WAIT, exactSize);
        return harness;
    }

    /** A running deployment's state store and changelog topic keep their names, and no repartition topic appears. */
    @Test
    void theOnlyStoreIsPendingFramesAndNothingRepartitions() {
        TopologyDescription description = start(4, false).topology.describe();
        assertEquals(1, description.subtopologies().size(), "one sub-topology: no repartition topic between steps");
        assertTrue(description.globalStores().isEmpty());
        Set<String> stores = new TreeSet<>();
        Set<String> sources = new TreeSet<>();
        for (TopologyDescription.Node node : description.subtopologies().iterator().next().nodes()) {
            if (node instanceof TopologyDescription.Processor processor) {
                stores.addAll(processor.stores());
            } else if (node instanceof TopologyDescription.Source source) {
                sources.addAll(source.topicSet());
            }
        }
        assertEquals(Set.of(PendingFrames.STORE), stores);
        assertEquals(Set.of(TopicNames.FRAMES), sources);
    }

    @Test
    void aFullBatchGoesAtOnceAndTheRestWaitsForTheClock() {
        start(4, false).serve(TestModels.model("shapes", 1, TestModels.GREY, 1));
        for (int i = 0; i < 6; i++) {
            harness.send(frame("door", i, 8, 8, PixelFormat.GRAY8, i, null));
        }
        harness.settle();
        assertEquals(4, harness.classifications.getQueueSize(), "the first four frames fill a batch and go without waiting for the clock");
        harness.classifications.readValuesToList();
        harness.waitFor(WAIT.dividedBy(4));
        harness.settle();
        assertTrue(harness.classifications.isEmpty(), "two frames are not a batch, and their wait is not over");
        harness.waitFor(WAIT);
        harness.settle();
        assertEquals(2, harness.classifications.readValuesToList().size(), "after --max-wait-ms the partial batch goes");
        var sizes = harness.registry.find("framestream.classifier.batch.size").summary();
        assertEquals(2, sizes.count());
        assertEquals(6, sizes.totalAmount());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestModels.GREY, TestModels.GRAPH})
    void everyFieldOfAClassificationIsFilledAndMatchesTheEngineOnThatFrame(String spec) {
        Model model = TestModels.model("shapes", 3, spec, 7);
        start(8, false).serve(model);
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Frame f = frame("door", 10 + i, 16, 12, PixelFormat.GRAY8, 100 + i, i % 2 == 0 ? "circle" : null);
            sent.add(f);
            harness.send(f);
        }
        harness.waitFor(WAIT);
        harness.settle();
        List<TestRecord<String, Classification>> out = harness.classifications.readRecordsToList();
        assertEquals(5, out.size());
        String sha = harness.models.get().sha256();
        try (WorkerPool single = new WorkerPool(1)) {
            var inference = model.network().newInference(single, 1);
            for (int i = 0; i < 5; i++) {
                Classification c = out.get(i).value();
                Frame f = sent.get(i);
                assertEquals("door", out.get(i).key());
                assertEquals("door", c.getCameraId());
                assertEquals(f.getSequence(), c.getSequence());
                assertEquals(f.getCaptureTime(), c.getCaptureTime());
                assertEquals(TopologyHarness.CLASSIFIED_AT, c.getClassifiedTime().toEpochMilli());
                assertEquals("shapes", c.getModelName());
                assertEquals(3, c.getModelVersion());
                assertEquals(sha, c.getWeightsSha256());
                assertEquals(64, sha.length());
                assertEquals(f.getTruth() == null ? null : f.getTruth().toString(), c.getTruth() == null ? null : c.getTruth().toString());
                assertEquals(2, c.getTop().size(), "--top-k 2");
                // The same frame alone through the engine: the batch put each frame's answer on its own row.
                float[] input = new float[64];
                byte[] pixels = new byte[f.getPixels().remaining()];
                f.getPixels().duplicate().get(pixels);
                model.preprocessing().apply(new Image(16, 12, dev.framestream.media.PixelFormat.GRAY8, pixels), input, 0);
                float[] p = inference.forward(new Tensor(1, model.network().inputShape(), input)).example(0);
                int best = 0;
                for (int k = 1; k < p.length; k++) {
                    best = p[k] > p[best] ? k : best;
                }
                assertEquals(TestModels.CLASSES.get(best), c.getTop().get(0).getLabel().toString());
                assertEquals(p[best], c.getTop().get(0).getProbability(), 1e-5);
                assertTrue(c.getTop().get(0).getProbability() >= c.getTop().get(1).getProbability());
            }
        }
        assertEquals(5, harness.count("framestream.classifier.frames.out", "camera", "door"));
        assertEquals(5, harness.count("framestream.classifier.frames.in", "camera", "door"));
        long rightCircles = out.stream().map(r -> r.value()).filter(c -> c.getTruth() != null)
                .filter(c -> c.getTop().get(0).getLabel().toString().equals("circle")).count();
        assertEquals(rightCircles, harness.count("framestream.classifier.frames.scored", "outcome", "correct"),
                "the live accuracy counts the frames with a truth whose top label was it");
        assertEquals(3 - rightCircles, harness.count("framestream.classifier.frames.scored", "outcome", "wrong"),
                "three frames carried a truth; the two without are not scored");
    }

    @Test
    void eachClassificationNamesTheInstanceThatMadeItInAHeader() {
        start(2, false).serve(TestModels.model("shapes", 1, TestModels.GREY, 1));
        harness.send(frame("door", 0, 8, 8, PixelFormat.GRAY8, 0, null));
        harness.send(frame("door", 1, 8, 8, PixelFormat.GRAY8, 1, null));
        harness.settle();
        List<TestRecord<String, Classification>> records = harness.classifications.readRecordsToList();
        assertEquals(2, records.size(), "a full batch of two");
        for (TestRecord<String, Classification> record : records) {
            var header = record.headers().lastHeader(MicroBatcher.CLASSIFIED_BY_HEADER);
            assertEquals(TopologyHarness.INSTANCE, header == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void eachCamerasClassificationsKeepItsFramesOrderAcrossBatches() {
        start(3, false).serve(TestModels.model("shapes", 1, TestModels.GREY, 1));
        String[] cameras = {"a", "b", "c"};
        Map<String, Long> next = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String camera = cameras[(i * 7) % 3];
            long sequence = next.merge(camera, 1L, Long::sum);
            harness.send(frame(camera, sequence, 8, 8, PixelFormat.GRAY8, i, null));
        }
        harness.waitFor(WAIT);
        harness.settle();
        Map<String, List<Long>> seen = new HashMap<>();
        for (Classification c : harness.classifications.readValuesToList()) {
            seen.computeIfAbsent(c.getCameraId().toString(), k -> new ArrayList<>()).add(c.getSequence());
        }
        for (String camera : cameras) {
            List<Long> sequences = seen.get(camera);
            assertEquals(next.get(camera), (long) sequences.size(), camera);
            for (int i = 0; i < sequences.size(); i++) {
                assertEquals(i + 1, sequences.get(i), "camera " + camera + " out of order: " + sequences);
            }
        }
    }

    @Test
    void everyKindOfBadRecordBecomesADeadLetterWithItsReasonOriginAndBytesAndTheStreamGoesOn() {
        start(1, false).serve(TestModels.model("shapes", 1, TestModels.GREY, 1));
        Frame good = frame("door", 1, 8, 8, PixelFormat.GRAY8, 1, null);
        byte[] goodBytes = TestModels.bytes(good);
        byte[] foreign = "{\"not\": \"avro\"}".getBytes();
        byte[] otherRecord = SingleObjectCodec.classification().encode(Classification.newBuilder().setCameraId("door").setSequence(1)
                .setCaptureTime(good.getCaptureTime()).setClassifiedTime(good.getCaptureTime()).setModelName("m").setModelVersion(1)
                .setTop(List.of()).build());
        byte[] truncated = java.util.Arrays.copyOf(goodBytes, goodBytes.length / 2);
        Frame empty = Frame.newBuilder(good).setPixels(ByteBuffer.wrap(new byte[0])).build();
        Frame wrongLength = Frame.newBuilder(good).setWidth(9).build();

        harness.frames.pipeInput("door".getBytes(), foreign);
        harness.frames.pipeInput("door".getBytes(), otherRecord);
        harness.frames.pipeInput("door".getBytes(), truncated);
        harness.frames.pipeInput("door".getBytes(), (byte[]) null);
        harness.send(empty);
        harness.send(wrongLength);
        harness.send(good);
        harness.settle();

        List<TestRecord<byte[], DeadLetter>> letters = harness.deadLetters.readRecordsToList();
        List<Reason> reasons = letters.stream().map(r -> r.value().getReason()).toList();
        assertEquals(List.of(Reason.BAD_MAGIC, Reason.UNKNOWN_SCHEMA, Reason.TRUNCATED, Reason.UNDECODABLE, Reason.EMPTY_PIXELS,
                Reason.SHAPE_MISMATCH), reasons);
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter letter = letters.get(i).value();
            assertEquals("frames", letter.getOriginTopic().toString());
            assertEquals(0, letter.getOriginPartition());
            assertEquals(i, letter.getOriginOffset(), "the offset the bad record was read at");
            assertEquals("classifier", letter.getService().toString());
            assertArrayEquals("door".getBytes(), letters.get(i).key(), "the dead letter keeps the record's key");
            assertTrue(letter.getMessage().length() > 20, letter.getMessage());
        }
        assertEquals(ByteBuffer.wrap(foreign), letters.get(0).value().getOriginalValue());
        assertEquals(ByteBuffer.wrap(truncated), letters.get(2).value().getOriginalValue());
        assertNull(letters.get(3).value().getOriginalValue());
        assertTrue(letters.get(5).value().getMessage().contains("9x8x1 = 72 bytes but carries 64"), letters.get(5).value().getMessage());
        assertEquals(1, harness.classifications.readValuesToList().size(), "the good frame after the bad ones is classified");
        assertEquals(1, harness.count("framestream.classifier.frames.dead.lettered", "reason", "BAD_MAGIC"));
        assertEquals(1, harness.count("framestream.classifier.frames.dead.lettered", "reason", "SHAPE_MISMATCH"));
    }

    @Test
    void aFrameThatDoesNotFitTheModelIsRefusedAtItsBatchAndTheOthersAreClassified() {
        start(3, false).serve(TestModels.model("colour", 1, TestModels.COLOUR, 1));
        harness.send(frame("door", 1, 8, 8, PixelFormat.BGR8, 1, null));
        harness.send(frame("door", 2, 8, 8, PixelFormat.GRAY8, 2, null));
        harness.send(frame("door", 3, 20, 10, PixelFormat.RGB8, 3, null));
        harness.settle();
        List<DeadLetter> letters = harness.deadLetters.readValuesToList();
        assertEquals(1, letters.size());
        assertEquals(Reason.SHAPE_MISMATCH, letters.getFirst().getReason());
        assertEquals(1, letters.getFirst().getOriginOffset());
        assertTrue(letters.getFirst().getMessage().contains("is grey but model colour v1 input 3x8x8"), letters.getFirst().getMessage());
        assertEquals(ByteBuffer.wrap(TestModels.bytes(frame("door", 2, 8, 8, PixelFormat.GRAY8, 2, null))),
                letters.getFirst().getOriginalValue(), "the refused frame's bytes as they were read");
        assertEquals(List.of(1L, 3L), harness.classifications.readValuesToList().stream().map(Classification::getSequence).toList(),
                "a colour frame of another size is resized; an RGB one converted");
    }

    @Test
    void withExactSizeAFrameOfAnotherSizeIsRefused() {
        start(2, true).serve(TestModels.model("shapes", 1, TestModels.GREY, 1));
        harness.send(frame("door", 1, 8, 8, PixelFormat.GRAY8, 1, null));
        harness.send(frame("door", 2, 28, 28, PixelFormat.GRAY8, 2, null));
        harness.settle();
        DeadLetter letter = harness.deadLetters.readValue();
        assertEquals(Reason.SHAPE_MISMATCH, letter.getReason());
        assertTrue(letter.getMessage().contains("frame 28x28x1 (GRAY8) from camera \"door\" does not match model shapes v1 input 1x8x8"),
                letter.getMessage());
        assertTrue(letter.getMessage().contains("--resize 8x8"), letter.getMessage());
        assertEquals(1, harness.classifications.readValuesToList().size());
    }

    @Test
    void swapsWeightsBetweenBatchesWithoutDroppingOrRepeatingAFrame() {
        start(4, false).serve(TestModels.model("shapes", 1, TestModels.GREY, 1));
        for (int i = 0; i < 6; i++) {
            harness.send(frame("door", i, 8, 8, PixelFormat.GRAY8, i, null));
        }
        harness.serve(TestModels.model("shapes", 2, TestModels.GREY, 2));
        for (int i = 6; i < 12; i++) {
            harness.send(frame("door", i, 8, 8, PixelFormat.GRAY8, i, null));
        }
        harness.waitFor(WAIT);
        harness.settle();
        List<Classification> out = harness.classifications.readValuesToList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), out.stream().map(Classification::getSequence).toList());
        // Batches [0-3] ran before the swap; [4-7] and [8-11] after it: versions change at a batch boundary only.
        assertEquals(List.of(1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L), out.stream().map(Classification::getModelVersion).toList());
        assertTrue(!out.get(0).getWeightsSha256().equals(out.get(11).getWeightsSha256()));
        assertEquals(2, harness.registry.find("framestream.classifier.model.version").gauge().value());
        assertEquals(2, harness.registry.find("framestream.classifier.model.swaps").counter().count());
    }

    @Test
    void beforeAnyModelFramesWaitInTheStoreAndGoInOrderWhenOneArrives() {
        start(4, false);
        for (int i = 0; i < 10; i++) {
            harness.send(frame("door", i, 8, 8, PixelFormat.GRAY8, i, null));
        }
        harness.waitFor(WAIT.multipliedBy(5));
        assertTrue(harness.classifications.isEmpty() && harness.deadLetters.isEmpty(), "nothing is classified or refused without a model");
        assertEquals(10, harness.registry.find("framestream.classifier.frames.pending").gauge().value());
        harness.serve(TestModels.model("shapes", 1, TestModels.GREY, 1));
        harness.waitFor(WAIT);
        harness.settle();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L),
                harness.classifications.readValuesToList().stream().map(Classification::getSequence).toList());
        assertEquals(0, harness.registry.find("framestream.classifier.frames.pending").gauge().value());
        assertEquals(3, harness.registry.find("framestream.classifier.batch.size").summary().count(), "4 + 4 + 2");
    }
}
