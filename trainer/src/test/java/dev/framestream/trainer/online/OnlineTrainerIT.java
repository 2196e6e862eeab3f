package dev.framestream.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.training.OptimizerKind;
import dev.framestream.model.Model;
import dev.framestream.model.WeightsSigning;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.OffsetRange;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.TrainingProgress;
import dev.framestream.schemas.WeightsTopic;
import dev.framestream.trainer.data.Augmentation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The online trainer on a real broker: it learns a labelled stream and publishes gated versions
 * with the offsets they consumed; bad records become dead letters once; a worse challenger is not
 * published; a restarted trainer goes on from the last version and its offsets.
 */
class OnlineTrainerIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final SingleObjectCodec<Frame> FRAMES = SingleObjectCodec.frame();
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private record Topics(String labelled, String weights, String progress, String deadLetters) {
        static Topics create(String test) throws Exception {
            Topics topics = new Topics("labelled-" + test, "weights-" + test, "progress-" + test, "dlq-" + test);
            try (Admin admin = Admin.create(client())) {
                admin.createTopics(List.of(new NewTopic(topics.labelled, 2, (short) 1),
                        new NewTopic(topics.weights, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                        new NewTopic(topics.progress, 1, (short) 1), new NewTopic(topics.deadLetters, 1, (short) 1))).all().get();
            }
            // A partition takes writes once its leader answers for it: sending earlier can leave an
            // idempotent producer retrying out-of-order sequences for minutes.
            endOffsets(topics.labelled);
            return topics;
        }
    }

    /** A listener that keeps what the trainer reports. */
    private static final class Reports implements OnlineListener {
        final List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();
        volatile long resumedVersion = -1;
        volatile int readBack = -1;

        @Override
        public void resumed(long version, long highestVersion, int recordsReadBack) {
            resumedVersion = version;
            readBack = recordsReadBack;
        }

        @Override
        public void checkpointed(Checkpoint checkpoint) {
            checkpoints.add(checkpoint);
        }
    }

    private static Map<String, Object> client() {
        return Map.of("bootstrap.servers", broker.bootstrapServers());
    }

    private static OnlineSettings settings(Topics topics, OnlineRecipe recipe, boolean gate, int revertAfter) {
        return OnlineSettings.builder()
                .topics(topics.labelled, topics.weights, topics.progress, topics.deadLetters)
                .replayCapacity(2000)
                .holdOutShare(0.2)
                .validationWindow(300)
                .publishEverySteps(25)
                .publishEvery(Duration.ofSeconds(2))
                .gate(gate)
                .revertAfter(revertAfter)
                .progressEvery(Duration.ofSeconds(1))
                .recipe(recipe)
                .build();
    }

    private static OnlineRecipe sensible() {
        return OnlineRecipe.builder().optimizer(OptimizerKind.ADAM).weightDecay(0).labelSmoothing(0).augmentation(Augmentation.none()).build();
    }

    /** Frames {@code [from, to)} of two cameras, each labelled frame keyed by its camera. */
    private static void send(String topic, int from, int to, long seed) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int n = from; n < to; n++) {
                String camera = n % 2 == 0 ? "left" : "right";
                producer.send(new ProducerRecord<>(topic, camera.getBytes(), FRAMES.encode(ShapeStream.frame(camera, n, seed))));
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> settings = new HashMap<>(client());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static OnlineTrainer start(Topics topics, String model, OnlineSettings settings, Model initial, boolean trained, Reports reports) {
        return start(model, settings, initial, trained, reports, null);
    }

    private static OnlineTrainer start(String model, OnlineSettings settings, Model initial, boolean trained, Reports reports, PrivateKey signer) {
        OnlineTrainerConfig config = OnlineTrainerConfig.builder(client(), initial).modelName(model).settings(settings).initialTrained(trained)
                .engineThreads(2).signingKey(signer).build();
        return OnlineTrainer.start(config, new SimpleMeterRegistry(), reports);
    }

    /** Every committed record of a topic, decoded, in offset order per partition. */
    private static <T> List<T> readAll(String topic, Function<byte[], T> decode) {
        return readRecords(topic).stream().map(record -> decode.apply(record.value())).toList();
    }

    /** Every committed record of a topic, in offset order per partition. */
    private static List<ConsumerRecord<byte[], byte[]>> readRecords(String topic) {
        Map<String, Object> settings = new HashMap<>(client());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024);
        List<ConsumerRecord<byte[], byte[]>> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record);
                }
            }
        }
        return values;
    }

    /** Waits until the trainer of {@code model} has committed offsets at the end of the labelled topic. */
    private static void awaitConsumed(String model, String topic) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try (Admin admin = Admin.create(client());
             KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(client(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = probe.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> end = probe.endOffsets(partitions);
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("framestream-trainer-" + model)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                if (partitions.stream().allMatch(p -> committed.get(p) != null && committed.get(p).offset() >= end.get(p))) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "the trainer committed " + committed + " of " + end + " within " + PATIENCE);
                Thread.sleep(100);
            }
        }
    }

    private static Map<Integer, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(client(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<Integer, Long> end = new HashMap<>();
            probe.endOffsets(probe.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList())
                    .forEach((partition, offset) -> end.put(partition.partition(), offset));
            return end;
        }
    }

    private static List<ModelWeights> versions(Topics topics) {
        return readAll(topics.weights, SingleObjectCodec.modelWeights()::decode);
    }

    /** Versions count up by one, each the child of the one before, and their offset ranges follow on without gap or overlap. */
    private static void assertLineage(List<ModelWeights> versions, long firstVersion, Map<Integer, Long> firstOffsets) {
        Map<Integer, Long> next = new HashMap<>(firstOffsets);
        for (int i = 0; i < versions.size(); i++) {
            ModelWeights v = versions.get(i);
            assertEquals(firstVersion + i, v.getVersion(), "versions count up by one");
            if (v.getVersion() > 1) {
                assertEquals(v.getVersion() - 1, v.getParentVersion(), "v" + v.getVersion() + " was trained from the version before");
            }
            for (OffsetRange range : v.getTrainingSummary().getOffsetRanges()) {
                assertEquals(next.getOrDefault(range.getPartition(), 0L), range.getFromOffset(),
                        "v" + v.getVersion() + " partition " + range.getPartition() + " starts where the version before ended");
                next.put(range.getPartition(), range.getToOffset());
            }
        }
    }

    @Test
    void learnsTheStreamAndPublishesGatedVersionsWithTheOffsetsTheyConsumedAndEachBadRecordOnce() throws Exception {
        Topics topics = Topics.create("learns");
        send(topics.labelled, 0, 1200, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            Frame hexagon = ShapeStream.frame("left", 5000, 1);
            hexagon.setTruth("hexagon");
            Frame cut = ShapeStream.frame("left", 5001, 1);
            cut.setPixels(java.nio.ByteBuffer.wrap(new byte[7]));
            producer.send(new ProducerRecord<>(topics.labelled, "left".getBytes(), FRAMES.encode(hexagon)));
            producer.send(new ProducerRecord<>(topics.labelled, "left".getBytes(), FRAMES.encode(cut)));
            producer.send(new ProducerRecord<>(topics.labelled, "left".getBytes(), "not a frame".getBytes()));
        }
        send(topics.labelled, 1200, 2400, 1);
        Reports reports = new Reports();
        KeyPair signing = WeightsSigning.newKeyPair();
        OnlineTrainer trainer = start("shapes", settings(topics, sensible(), true, 3), ShapeStream.freshModel("shapes", 1), false, reports,
                signing.getPrivate());
        awaitConsumed("shapes", topics.labelled);
        trainer.close();
        assertNull(trainer.awaitStopped(Duration.ofSeconds(1)));

        List<ModelWeights> versions = versions(topics);
        assertTrue(versions.size() >= 2, "several versions published, got " + versions.size());
        assertNull(versions.get(0).getParentVersion(), "v1 was trained from fresh weights");
        assertLineage(versions, 1, Map.of());
        ModelWeights last = versions.get(versions.size() - 1);
        assertEquals(last.getVersion(), trainer.championVersion());
        assertTrue(last.getTrainingSummary().getValidationAccuracy() > 0.75,
                "validation accuracy far above chance (1/3): " + last.getTrainingSummary());
        long published = reports.checkpoints.stream().filter(c -> c.outcome() == Checkpoint.Outcome.PUBLISHED).count();
        assertEquals(versions.size(), published, "every published checkpoint is one committed version");
        for (ConsumerRecord<byte[], byte[]> record : readRecords(topics.weights)) {
            var header = record.headers().lastHeader(WeightsTopic.SIGNATURE_HEADER);
            assertNotNull(header, "every version is signed with --signing-key");
            assertEquals(java.util.Optional.empty(), WeightsSigning.problem(signing.getPublic(), record.value(), header.value()));
        }

        List<DeadLetter> letters = readAll(topics.deadLetters, SingleObjectCodec.deadLetter()::decode);
        assertEquals(List.of(Reason.UNKNOWN_LABEL, Reason.SHAPE_MISMATCH, Reason.BAD_MAGIC), letters.stream().map(DeadLetter::getReason).toList(),
                "each bad record is a dead letter exactly once, in order");
        assertTrue(letters.stream().allMatch(l -> l.getService().equals("trainer") && l.getOriginTopic().equals(topics.labelled)));
        assertTrue(letters.get(0).getMessage().contains("\"hexagon\""), letters.get(0).getMessage());

        List<TrainingProgress> progress = readAll(topics.progress, SingleObjectCodec.trainingProgress()::decode);
        assertTrue(progress.size() >= versions.size(), "a progress record at least per checkpoint");
        TrainingProgress latest = progress.get(progress.size() - 1);
        assertEquals(last.getVersion(), latest.getModelVersion());
        assertTrue(latest.getStep() > 0 && latest.getExamplesSeen() >= latest.getStep() * 16, latest.toString());
    }

    @Test
    void aWorseChallengerIsNotPublishedWhileTheSameOneWithTheGateOffIs() throws Exception {
        Topics topics = Topics.create("gate");
        Model champion = trainedOffTheRecord();
        send(topics.labelled, 0, 600, 4);
        OnlineRecipe wild = OnlineRecipe.builder().optimizer(OptimizerKind.SGD).learningRate(40).momentum(0).weightDecay(0).clipNorm(1)
                .labelSmoothing(0).augmentation(Augmentation.none()).build();

        Reports gated = new Reports();
        OnlineTrainer trainer = start(topics, "gated", settings(topics, wild, true, 100), champion.named("gated"), true, gated);
        awaitConsumed("gated", topics.labelled);
        trainer.close();
        assertTrue(gated.checkpoints.stream().anyMatch(c -> c.outcome() == Checkpoint.Outcome.REJECTED), "the gate judged and said no: "
                + gated.checkpoints);
        assertTrue(versions(topics).isEmpty(), "no worse version was published");

        Reports ungated = new Reports();
        trainer = start(topics, "ungated", settings(topics, wild, false, 100), trainedOffTheRecord().named("ungated"), true, ungated);
        awaitConsumed("ungated", topics.labelled);
        trainer.close();
        List<ModelWeights> versions = versions(topics);
        assertTrue(!versions.isEmpty(), "without the gate the same training publishes");
        assertEquals(5, versions.get(0).getVersion(), "the first version follows the model file's v4");
        assertEquals(4L, versions.get(0).getParentVersion());
        Checkpoint first = ungated.checkpoints.stream().filter(c -> c.outcome() == Checkpoint.Outcome.PUBLISHED).findFirst().orElseThrow();
        assertTrue(first.judgement().challenger().accuracy() < first.judgement().champion().accuracy(),
                "and what it published is worse than its parent: " + first.judgement().why());
    }

    @Test
    void aRestartedTrainerResumesFromTheLastVersionAndTheOffsetsCommittedWithIt() throws Exception {
        Topics topics = Topics.create("restart");
        send(topics.labelled, 0, 1200, 7);
        OnlineTrainer first = start(topics, "shapes", settings(topics, sensible(), true, 3), ShapeStream.freshModel("shapes", 1), false,
                new Reports());
        awaitConsumed("shapes", topics.labelled);
        first.close();
        List<ModelWeights> before = versions(topics);
        long last = before.get(before.size() - 1).getVersion();
        assertEquals(last, first.championVersion());
        Map<Integer, Long> firstEnd = endOffsets(topics.labelled);

        send(topics.labelled, 1200, 2400, 7);
        Reports reports = new Reports();
        // Other starting weights, which a resuming trainer must ignore in favour of the topic's latest version.
        OnlineTrainer second = start(topics, "shapes", settings(topics, sensible(), true, 3), ShapeStream.freshModel("shapes", 99), false, reports);
        awaitConsumed("shapes", topics.labelled);
        second.close();
        assertEquals(last, reports.resumedVersion, "resumed from the last version published");
        assertTrue(reports.readBack > 500, "records before the committed offsets refill the replay buffer: " + reports.readBack);
        List<ModelWeights> all = versions(topics);
        assertTrue(all.size() > before.size(), "the resumed trainer published more versions");
        assertEquals(last + 1, all.get(before.size()).getVersion());
        assertEquals(last, all.get(before.size()).getParentVersion());
        // The second trainer consumes from the offsets the first committed (what the first consumed after
        // its last version is not trained on again as fresh, only replayed), and the lineage goes on
        // where the last version ended: the versions of both runs together account for every frame.
        assertLineage(all, 1, Map.of());
        Map<Integer, Long> covered = new HashMap<>();
        all.forEach(v -> v.getTrainingSummary().getOffsetRanges().forEach(r -> covered.put(r.getPartition(), r.getToOffset())));
        assertTrue(covered.entrySet().stream().allMatch(e -> e.getValue() > firstEnd.get(e.getKey())), "the lineage reaches past the first"
                + " run's end " + firstEnd + ": " + covered);
    }

    /** A champion trained outside Kafka, saved as a model file's v4 would be. */
    private static Model trainedOffTheRecord() {
        Model model = ShapeStream.freshModel("offline", 5);
        try (WorkerPool pool = new WorkerPool(2)) {
            OnlineLearner learner = new OnlineLearner(model, pool, OnlineSettings.builder().recipe(sensible()).build(), step -> { });
            for (int n = 0; n < 1500; n++) {
                Frame frame = ShapeStream.frame("studio", n, 5);
                if (new LabelledFrames(model).read(FRAMES.encode(frame), new dev.framestream.schemas.DeadLetters.Origin("file", 0, n))
                        instanceof LabelledFrames.Usable usable) {
                    learner.offer(usable.example());
                }
                learner.train(false);
            }
        }
        return new Model("offline", 4, java.util.OptionalLong.of(3), java.time.Instant.now(), model.network(), model.classNames(),
                model.preprocessing(), model.summary());
    }
}
