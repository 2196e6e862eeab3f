package dev.framestream.classifier.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.classifier.TestModels;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.training.LearningRateSchedule;
import dev.framestream.engine.training.OptimizerKind;
import dev.framestream.ingest.CameraSettings;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.CameraIngest;
import dev.framestream.ingest.sources.FolderSource;
import dev.framestream.media.Image;
import dev.framestream.media.ImageFolder;
import dev.framestream.media.Shapes;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.model.Preprocessing;
import dev.framestream.model.TrainingSummary;
import dev.framestream.model.WeightsSigning;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.WeightsTopic;
import dev.framestream.trainer.data.Augmentation;
import dev.framestream.trainer.offline.OfflineTraining;
import dev.framestream.trainer.offline.Recipe;
import dev.framestream.trainer.offline.TrainingListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The classifier on a real broker with a model trained in the test: an ingested image folder is
 * classified exactly once per frame and mostly right; new versions swap in mid-stream with no gap
 * and no repeat; NaN weights are refused while the last good version keeps serving.
 */
class ClassifierIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static EmbeddedBroker broker;
    private static Model trained;
    private static Path modelFile;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startBrokerAndTrain() throws Exception {
        broker = EmbeddedBroker.start();
        Path train = dir.resolve("train");
        Shapes.writeFolder(train, 150, 24, 1);
        Network network = Network.build("in 1x16x16 | conv 8 3x3 | relu | maxpool 2 | conv 16 3x3 | relu | maxpool 2 | flatten | fc 3 | softmax");
        network.initialise(1);
        Model start = new Model("shapes", 1, OptionalLong.empty(), Instant.now(), network, Shapes.CLASSES,
                Preprocessing.unitScale(network.inputShape()), TrainingSummary.none());
        Recipe recipe = Recipe.builder().epochs(12).optimizer(OptimizerKind.ADAM).weightDecay(0).schedule(LearningRateSchedule.Kind.CONSTANT)
                .warmupEpochs(0).clipNorm(0).labelSmoothing(0).augmentation(Augmentation.none()).patience(0).normalise(false).build();
        var data = ImageFolder.read(train).dataset().split(0.2, 1);
        try (WorkerPool pool = new WorkerPool(2)) {
            trained = new OfflineTraining(pool, recipe, new TrainingListener() { }).run(start, false, data[0], data[1]).model();
        }
        assertTrue(trained.summary().validationAccuracy() > 0.9, "the test model learned the shapes: " + trained.summary());
        modelFile = dir.resolve("shapes.fsm");
        ModelFile.save(trained, modelFile);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** Topics named after the test, so tests do not read each other's records. */
    private record Topics(String frames, String classifications, String deadLetters, String weights) {
        static Topics create(String test) throws Exception {
            Topics topics = new Topics("frames-" + test, "classifications-" + test, "dlq-" + test, "weights-" + test);
            try (Admin admin = Admin.create(client())) {
                admin.createTopics(List.of(new NewTopic(topics.frames, 2, (short) 1), new NewTopic(topics.classifications, 2, (short) 1),
                        new NewTopic(topics.deadLetters, 1, (short) 1),
                        new NewTopic(topics.weights, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
            }
            return topics;
        }
    }

    private static Map<String, Object> client() {
        return Map.of("bootstrap.servers", broker.bootstrapServers());
    }

    private static ClassifierService start(Topics topics, String test, Path model) throws Exception {
        return start(topics, test, model, null);
    }

    private static ClassifierService start(Topics topics, String test, Path model, PublicKey trustedKey) throws Exception {
        ClassifierSettings settings = new ClassifierSettings(topics.frames, topics.classifications, topics.deadLetters, 16,
                Duration.ofMillis(50), 3, false);
        ClassifierConfig config = ClassifierConfig.builder(client(), settings).applicationId("it-" + test)
                .weightsTopic(topics.weights).modelFile(model).modelName("shapes").streamThreads(2).engineThreads(2)
                .commitInterval(Duration.ofMillis(100)).stateDir(dir.resolve("state-" + test)).trustedKey(trustedKey).build();
        ClassifierService service = ClassifierService.start(config, new SimpleMeterRegistry());
        assertTrue(service.awaitRunning(PATIENCE), "the classifier reaches RUNNING");
        return service;
    }

    @Test
    void everyFrameOfAnIngestedFolderIsClassifiedExactlyOnceAndMostlyRight() throws Exception {
        Topics topics = Topics.create("folder");
        Path folder = dir.resolve("replay");
        Shapes.writeFolder(folder, 40, 24, 2);
        long sent = 0;
        try (FramePublisher publisher = new FramePublisher(client(), topics.frames, "unused-labelled")) {
            for (String camera : List.of("left", "right")) {
                try (FolderSource source = new FolderSource(folder, 0, 25)) {
                    sent += new CameraIngest(camera, publisher, new CameraSettings(CameraSettings.plain().shaping(), 0, 0, false, 0))
                            .run(source, -1, n -> { }).published();
                }
            }
            publisher.flush();
            assertEquals(sent, publisher.acknowledged());
        }
        assertEquals(240, sent);
        try (ClassifierService service = start(topics, "folder", modelFile)) {
            List<Classification> results = readUntil(topics.classifications, "folder", list -> list.size() >= 240);
            Map<String, Integer> perFrame = new HashMap<>();
            int right = 0;
            for (Classification c : results) {
                perFrame.merge(c.getCameraId() + "#" + c.getSequence(), 1, Integer::sum);
                right += c.getTop().get(0).getLabel().toString().equals(String.valueOf(c.getTruth())) ? 1 : 0;
                assertEquals("shapes", c.getModelName().toString());
                assertEquals(1, c.getModelVersion());
            }
            assertEquals(240, results.size(), "one classification per frame, none repeated");
            assertEquals(240, perFrame.size());
            assertTrue(right >= 0.85 * 240, right + " of 240 classified right (chance is 80)");
            assertEquals(240, service.metrics().registry().find("framestream.classifier.frames.out").counters().stream()
                    .mapToDouble(c -> c.count()).sum());
        }
    }

    @Test
    void newVersionsSwapInMidStreamWithNoGapNoRepeatAndNaNWeightsAreRefused() throws Exception {
        Topics topics = Topics.create("swap");
        Model v2 = TestModels.perturbed(trained, 2, 1e-3f, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            publishWeights(producer, topics, ModelFile.toRecord(trained));
            try (ClassifierService service = start(topics, "swap", null); FrameStream frames = new FrameStream(producer, topics.frames)) {
                assertEquals(1, service.serving().version(), "version 1 came from the topic, no model file");
                awaitTrue(() -> frames.sent() >= 150, "frames are flowing");
                publishWeights(producer, topics, ModelFile.toRecord(v2));
                awaitTrue(() -> service.serving() != null && service.serving().version() == 2, "version 2 swapped in");
                long atSwap = frames.sent();
                awaitTrue(() -> frames.sent() >= atSwap + 150, "frames flow on version 2");
                ModelWeights poisoned = TestModels.withValue(ModelFile.toRecord(TestModels.perturbed(trained, 3, 1e-3f, 6)), "fc1.weight", 0, Float.NaN);
                publishWeights(producer, topics, poisoned);
                List<DeadLetter> letters = this.<DeadLetter>read(topics.deadLetters, "swap-dlq", AvroSerde.deadLetter(), list -> !list.isEmpty(),
                        PATIENCE);
                assertEquals(Reason.NON_FINITE, letters.getFirst().getReason());
                assertEquals(topics.weights, letters.getFirst().getOriginTopic().toString());
                long atRejection = frames.sent();
                awaitTrue(() -> frames.sent() >= atRejection + 100, "frames flow after the rejection");
                frames.stop();
                ServingModel serving = service.serving();
                assertEquals(2, serving.version(), "the last good version keeps serving");

                long total = frames.sent();
                List<Classification> results = readUntil(topics.classifications, "swap", list -> list.size() >= total);
                results.sort(java.util.Comparator.comparingLong(Classification::getSequence));
                assertEquals(total, results.size(), "one classification per frame");
                for (int i = 0; i < results.size(); i++) {
                    assertEquals(i, results.get(i).getSequence(), "no gap and no repeat in the camera's sequence");
                }
                List<Long> versions = results.stream().map(Classification::getModelVersion).toList();
                int firstV2 = versions.indexOf(2L);
                assertTrue(firstV2 > 0, "some frames ran on version 1");
                assertTrue(versions.subList(0, firstV2).stream().allMatch(v -> v == 1) && versions.subList(firstV2, versions.size()).stream()
                        .allMatch(v -> v == 2), "the version switches once, from 1 to 2, and never to the refused 3");
                assertEquals(1, service.metrics().registry().find("framestream.classifier.weights.rejected").tag("reason", "NON_FINITE")
                        .counter().count());
            }
        }
    }

    @Test
    void withATrustedKeyUnsignedAndWronglySignedVersionsAreRefusedAndReportedWhileTheSignedOneServes() throws Exception {
        Topics topics = Topics.create("signed");
        KeyPair trainer = WeightsSigning.newKeyPair();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            try (ClassifierService service = start(topics, "signed", modelFile, trainer.getPublic())) {
                assertEquals(1, service.serving().version(), "the model file given at start is trusted as it is");
                publishWeights(producer, topics, ModelFile.toRecord(TestModels.perturbed(trained, 2, 1e-3f, 4)));
                publishWeights(producer, topics, ModelFile.toRecord(TestModels.perturbed(trained, 3, 1e-3f, 5)),
                        WeightsSigning.newKeyPair().getPrivate());
                List<DeadLetter> letters = this.<DeadLetter>read(topics.deadLetters, "signed-dlq", AvroSerde.deadLetter(),
                        list -> list.size() >= 2, PATIENCE);
                assertEquals(List.of(Reason.BAD_WEIGHTS, Reason.BAD_WEIGHTS), letters.stream().map(DeadLetter::getReason).toList());
                assertTrue(letters.get(0).getMessage().toString().contains("not signed"), letters.get(0).getMessage().toString());
                assertTrue(letters.get(1).getMessage().toString().contains("does not verify"), letters.get(1).getMessage().toString());
                assertEquals(1, service.serving().version(), "neither refused version serves");
                publishWeights(producer, topics, ModelFile.toRecord(TestModels.perturbed(trained, 4, 1e-3f, 6)), trainer.getPrivate());
                awaitTrue(() -> service.serving().version() == 4, "the version signed by the trainer's key swaps in");
            }
        }
    }

    /**
     * The bad-input corpus: 1,040 bad frame records of 13 kinds and 18 bad versions of 6 kinds,
     * mixed between 500 good frames. Every bad one is a dead letter with its reason and its exact
     * origin, every good frame is classified once, and the classifier keeps running.
     */
    @Test
    void everyBadRecordOfTheCorpusIsADeadLetterWithItsReasonAndEveryGoodFrameIsClassifiedOnce() throws Exception {
        Topics topics = Topics.create("corpus");
        List<BadRecords.Bad> badFrames = BadRecords.frames(1040, 16, 7);
        List<BadRecords.Bad> badWeights = BadRecords.weights(trained, TestModels.model("shapes", 1, TestModels.GREY, 1), 2, 8);
        Map<String, BadRecords.Bad> expected = new HashMap<>();      // "topic-partition@offset" -> the bad record there
        int good = 500;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(),
                new ByteArraySerializer());
             ClassifierService service = start(topics, "corpus", modelFile)) {
            SplittableRandom random = new SplittableRandom(11);
            int nextBad = 0;
            for (int sequence = 0; sequence < good; sequence++) {
                producer.send(new ProducerRecord<>(topics.frames, "good", TestModels.bytes(TestModels.frame("good", sequence, 16, 16,
                        PixelFormat.GRAY8, sequence, "circle"))));
                for (int n = random.nextInt(5); n > 0 && nextBad < badFrames.size(); n--) {
                    BadRecords.Bad bad = badFrames.get(nextBad++);
                    var sent = producer.send(new ProducerRecord<>(topics.frames, "bad-" + nextBad % 7, bad.value())).get();
                    expected.put(sent.topic() + "-" + sent.partition() + "@" + sent.offset(), bad);
                }
                if (sequence % 25 == 0 && sequence / 25 < badWeights.size()) {
                    BadRecords.Bad bad = badWeights.get(sequence / 25);
                    var sent = producer.send(new ProducerRecord<>(topics.weights, "shapes", bad.value())).get();
                    expected.put(sent.topic() + "-" + sent.partition() + "@" + sent.offset(), bad);
                }
            }
            while (nextBad < badFrames.size()) {
                BadRecords.Bad bad = badFrames.get(nextBad++);
                var sent = producer.send(new ProducerRecord<>(topics.frames, "bad-" + nextBad % 7, bad.value())).get();
                expected.put(sent.topic() + "-" + sent.partition() + "@" + sent.offset(), bad);
            }
            assertEquals(1040 + 18, expected.size());

            List<DeadLetter> letters = this.<DeadLetter>read(topics.deadLetters, "corpus-dlq", AvroSerde.deadLetter(),
                    list -> list.size() >= expected.size(), PATIENCE);
            assertEquals(expected.size(), letters.size(), "one dead letter per bad record, no more");
            Map<String, Integer> seen = new HashMap<>();
            for (DeadLetter letter : letters) {
                String origin = letter.getOriginTopic() + "-" + letter.getOriginPartition() + "@" + letter.getOriginOffset();
                BadRecords.Bad bad = expected.get(origin);
                assertNotNull(bad, "a dead letter for a record that was not bad: " + origin + " " + letter.getMessage());
                assertEquals(bad.reason(), letter.getReason(), bad.kind() + " at " + origin + ": " + letter.getMessage());
                assertTrue(bad.value() == null ? letter.getOriginalValue() == null
                        : letter.getOriginalValue().equals(java.nio.ByteBuffer.wrap(bad.value())), "the original bytes travel with it");
                seen.merge(origin, 1, Integer::sum);
            }
            assertEquals(expected.keySet(), seen.keySet(), "every bad record is reported");

            List<Classification> results = readUntil(topics.classifications, "corpus", list -> list.size() >= good);
            assertEquals(good, results.size(), "every good frame is classified, once");
            assertEquals(java.util.stream.LongStream.range(0, good).boxed().toList(),
                    results.stream().map(Classification::getSequence).sorted().toList());
            assertNull(service.awaitStopped(Duration.ZERO), "the classifier is still running");
            assertEquals(1, service.serving().version(), "no bad version serves");
        }
    }

    @Test
    void framesWaitingForAModelSurviveARestartAndAreClassifiedOnceWhenOneArrives() throws Exception {
        Topics topics = Topics.create("restart");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            try (ClassifierService waiting = start(topics, "restart", null)) {
                SplittableRandom random = new SplittableRandom(3);
                for (int i = 0; i < 60; i++) {
                    Image image = Shapes.draw(i % 3, 24, random);
                    Frame frame = Frame.newBuilder().setCameraId("door").setSequence(i).setCaptureTime(Instant.now()).setWidth(24)
                            .setHeight(24).setChannels(1).setPixelFormat(PixelFormat.GRAY8).setPixels(java.nio.ByteBuffer.wrap(image.pixels()))
                            .setTruth(Shapes.CLASSES.get(i % 3)).build();
                    producer.send(new ProducerRecord<>(topics.frames, "door", SingleObjectCodec.frame().encode(frame))).get();
                }
                var pending = waiting.metrics().registry().get("framestream.classifier.frames.pending").gauge();
                awaitTrue(() -> pending.value() == 60, "all 60 frames wait for a model");
                Thread.sleep(500);      // several commits: the waiting frames' positions are in the changelog
            }
            assertTrue(this.<Classification>read(topics.classifications, "restart-before", AvroSerde.classification(), list -> false,
                    Duration.ofSeconds(2)).isEmpty(),
                    "nothing is classified without a model");
            try (ClassifierService restarted = start(topics, "restart", modelFile)) {
                List<Classification> results = readUntil(topics.classifications, "restart", list -> list.size() >= 60);
                assertEquals(java.util.stream.LongStream.range(0, 60).boxed().toList(),
                        results.stream().map(Classification::getSequence).toList(),
                        "every waiting frame classified once, in order, by the next instance");
                assertTrue(results.stream().filter(c -> c.getTop().get(0).getLabel().toString().equals(String.valueOf(c.getTruth()))).count() > 45,
                        "the restored frames are the frames that were sent");
            }
        }
    }

    @Test
    void aPausedClassifierClassifiesNothingUntilResumedThenCarriesOnWithNoGapNoRepeat() throws Exception {
        Topics topics = Topics.create("pause");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
             ClassifierService service = start(topics, "pause", modelFile); FrameStream frames = new FrameStream(producer, topics.frames)) {
            java.util.function.DoubleSupplier classified = service.metrics()::classifiedSoFar;
            awaitTrue(() -> classified.getAsDouble() >= 100, "frames are classified");
            service.pause();
            Thread.sleep(200);      // the record being processed when pause() was called finishes
            double atPause = classified.getAsDouble();
            long sentAtPause = frames.sent();
            awaitTrue(() -> frames.sent() >= sentAtPause + 100, "frames keep arriving while paused");
            assertEquals(atPause, classified.getAsDouble(), "nothing is classified while paused");
            service.resume();
            awaitTrue(() -> classified.getAsDouble() > atPause, "classifying again after resume");
            frames.stop();
            long total = frames.sent();
            List<Classification> results = readUntil(topics.classifications, "pause", list -> list.size() >= total);
            assertEquals(java.util.stream.LongStream.range(0, total).boxed().toList(),
                    results.stream().map(Classification::getSequence).toList(), "every frame classified once, in order, across the pause");
        }
    }

    @Test
    void aSecondClassifierOnTheSameStateDirectoryIsRefusedAndLeavesNothingRunning() throws Exception {
        Topics topics = Topics.create("locked");
        try (ClassifierService first = start(topics, "locked", modelFile)) {
            long followersBefore = followerThreads();
            StreamsException refused = assertThrows(StreamsException.class, () -> start(topics, "locked", modelFile));
            assertTrue(refused.getMessage().contains("same state directory"), "the refusal says why: " + refused.getMessage());
            awaitTrue(() -> followerThreads() == followersBefore, "the refused instance's weights follower stops");
            assertEquals(KafkaStreams.State.RUNNING, first.state(), "the first instance keeps running");
        }
    }

    private static long followerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals("framestream-weights-follower")).count();
    }

    private static void publishWeights(KafkaProducer<String, byte[]> producer, Topics topics, ModelWeights record) throws Exception {
        publishWeights(producer, topics, record, null);
    }

    /** A version as a trainer publishes it, with the signature header when {@code signer} is given. */
    private static void publishWeights(KafkaProducer<String, byte[]> producer, Topics topics, ModelWeights record, PrivateKey signer)
            throws Exception {
        byte[] value = SingleObjectCodec.modelWeights().encode(record);
        ProducerRecord<String, byte[]> weights = new ProducerRecord<>(topics.weights, record.getModelName().toString(), value);
        if (signer != null) {
            weights.headers().add(WeightsTopic.SIGNATURE_HEADER, WeightsSigning.sign(signer, value));
        }
        producer.send(weights).get();
    }

    /** One camera sending drawn shapes as fast as the broker acknowledges them, on a thread of its own. */
    private static final class FrameStream implements AutoCloseable {
        private final AtomicLong sent = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        FrameStream(KafkaProducer<String, byte[]> producer, String topic) {
            thread = Thread.ofPlatform().name("it-frames").start(() -> {
                SplittableRandom random = new SplittableRandom(9);
                while (running.get()) {
                    long sequence = sent.get();
                    int label = (int) (sequence % 3);
                    Image image = Shapes.draw(label, 24, random);
                    Frame frame = Frame.newBuilder().setCameraId("cam").setSequence(sequence).setCaptureTime(Instant.now())
                            .setWidth(24).setHeight(24).setChannels(1).setPixelFormat(PixelFormat.GRAY8)
                            .setPixels(java.nio.ByteBuffer.wrap(image.pixels())).setTruth(Shapes.CLASSES.get(label)).build();
                    try {
                        producer.send(new ProducerRecord<>(topic, "cam", SingleObjectCodec.frame().encode(frame))).get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    sent.incrementAndGet();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long sent() {
            return sent.get();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    private List<Classification> readUntil(String topic, String group, java.util.function.Predicate<List<Classification>> done) {
        return read(topic, group, AvroSerde.classification(), done, PATIENCE);
    }

    /** Reads a topic as a read_committed consumer until {@code done} (or {@code patience}), then a little longer to catch any repeat. */
    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, String group, AvroSerde<T> serde,
                                                                           java.util.function.Predicate<List<T>> done, Duration patience) {
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-read-" + group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(topic));
            List<T> records = new ArrayList<>();
            long deadline = System.nanoTime() + patience.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> records.add(r.value()));
            }
            long extra = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < extra) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> records.add(r.value()));
            }
            return records;
        }
    }
}
