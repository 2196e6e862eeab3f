package dev.framestream.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.cli.ScratchDirectory;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.TopicNames;
import dev.framestream.schemas.WeightsTopic;

/**
 * The online trainer's guarantees under crashes: it runs as a separate OS process, learning from
 * labelled frames while ingest publishes them, and is SIGKILLed {@code kills} times, each at a
 * random moment after a checkpoint of its own, and started again. At the end the published versions
 * must count up one by one, each the child of the one before, and their consumed offset ranges must
 * follow on from offset 0 to the end of {@code frames.labelled} without a gap: no frame skipped.
 */
final class TrainerChaos {
    private static final String MODEL = "chaos-digits";
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    /**
     * @param versions    versions on the weights topic, in the order they were committed
     * @param problems    lineage or coverage problems found (empty when the guarantees held)
     * @param labelled    labelled frames the broker acknowledged
     */
    record Outcome(long labelled, int kills, int starts, List<Long> versions, List<String> problems, double seconds) {
    }

    private final ChaosBenchmark.Settings settings;
    private final Class<?> command;

    /** @param command the class whose {@code main} runs the framestream command, started as the trainer's process */
    TrainerChaos(ChaosBenchmark.Settings settings, Class<?> command) {
        this.settings = settings;
        this.command = command;
    }

    Outcome run(PrintStream progress) throws Exception {
        long began = System.nanoTime();
        try (ScratchDirectory work = ScratchDirectory.create("framestream-chaos-trainer"); EmbeddedBroker broker = EmbeddedBroker.start()) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                Topics.create(admin, settings.partitions(), (short) 1);
            }
            List<String> train = List.of("train", "--online", "--bootstrap", broker.bootstrapServers(), "--net", "DIGITS", "--name", MODEL,
                    "--publish-every-seconds", "2", "--publish-every-steps", "40", "--progress-every-seconds", "2", "--threads", "1");
            Path logs = settings.logDir() == null ? work.path() : Files.createDirectories(settings.logDir());
            SplittableRandom random = new SplittableRandom(settings.seed());
            int kills = 0;
            try (ServiceProcess trainer = new ServiceProcess(command, train, logs.resolve("trainer.log"));
                 FramePublisher publisher = new FramePublisher(client, TopicNames.FRAMES, TopicNames.FRAMES_LABELLED);
                 Admin admin = Admin.create(client)) {
                trainer.start();
                ChaosIngest ingest = ChaosIngest.counted(publisher, settings, settings.fpsPerCamera(), 1);
                for (; kills < settings.kills(); kills++) {
                    long started = System.nanoTime();
                    long before = committed(admin);
                    awaitCommittedAbove(admin, before);        // it runs: it has made a checkpoint of its own
                    long within = random.nextLong(settings.killWithin().toMillis() + 1);
                    Thread.sleep(within);
                    trainer.kill();
                    progress.printf("  kill %d of %d, %.1f s after its start and %.1f s after its first checkpoint; %,d labelled frames"
                            + " consumed and committed so far%n", kills + 1, settings.kills(), (System.nanoTime() - started) / 1e9,
                            within / 1e3, committed(admin));
                    trainer.start();
                }
                ingest.join();
                publisher.flush();
                long labelled = endOffsets(client).values().stream().mapToLong(Long::longValue).sum();
                progress.printf("  ingest done: %,d labelled frames; waiting for the trainer to consume them%n", labelled);
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (committed(admin) < labelled && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                trainer.close();        // SIGTERM: a last checkpoint
                List<ModelWeights> versions = versions(client);
                return new Outcome(labelled, kills, trainer.starts(), versions.stream().map(ModelWeights::getVersion).toList(),
                        problems(versions, endOffsets(client), committedOffsets(admin)), (System.nanoTime() - began) / 1e9);
            }
        }
    }

    /** What breaks the guarantees: a version number not above the last, a wrong parent, a gap or overlap in the offsets consumed. */
    private static List<String> problems(List<ModelWeights> versions, Map<Integer, Long> end, Map<Integer, Long> committed) {
        List<String> problems = new ArrayList<>();
        Map<Integer, Long> covered = new HashMap<>();
        Long previous = null;
        for (ModelWeights version : versions) {
            if (previous != null && version.getVersion() <= previous) {
                problems.add("v" + version.getVersion() + " came after v" + previous);
            }
            Long parent = version.getParentVersion();
            if (previous != null && !previous.equals(parent)) {
                problems.add("v" + version.getVersion() + " has parent v" + parent + " but follows v" + previous);
            }
            for (var range : version.getTrainingSummary().getOffsetRanges()) {
                long from = covered.getOrDefault(range.getPartition(), 0L);
                if (range.getFromOffset() != from) {
                    problems.add("v" + version.getVersion() + " consumed partition " + range.getPartition() + " from " + range.getFromOffset()
                            + " but the versions before it reached " + from);
                }
                covered.put(range.getPartition(), range.getToOffset());
            }
            previous = version.getVersion();
        }
        end.forEach((partition, offset) -> {
            if (committed.getOrDefault(partition, 0L) < offset) {
                problems.add("partition " + partition + " consumed to " + committed.get(partition) + " of " + offset);
            }
        });
        return problems;
    }

    private static List<ModelWeights> versions(Map<String, Object> client) {
        List<ModelWeights> versions = new ArrayList<>();
        WeightsTopic.readModel(client, TopicNames.MODEL_WEIGHTS, MODEL, "chaos-versions",
                record -> versions.add(SingleObjectCodec.modelWeights().decode(record.value())));
        return versions;
    }

    private static Map<Integer, Long> endOffsets(Map<String, Object> client) {
        try (KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(ChaosBenchmark.reader(client, "chaos-probe"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<Integer, Long> end = new HashMap<>();
            probe.endOffsets(probe.partitionsFor(TopicNames.FRAMES_LABELLED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList()).forEach((p, offset) -> end.put(p.partition(), offset));
            return end;
        }
    }

    private static Map<Integer, Long> committedOffsets(Admin admin) throws Exception {
        Map<Integer, Long> committed = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("framestream-trainer-" + MODEL)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        offsets.forEach((partition, offset) -> {
            if (offset != null && partition.topic().equals(TopicNames.FRAMES_LABELLED)) {
                committed.put(partition.partition(), offset.offset());
            }
        });
        return committed;
    }

    private static long committed(Admin admin) throws Exception {
        return committedOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
    }

    private static void awaitCommittedAbove(Admin admin, long before) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (committed(admin) <= before && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
