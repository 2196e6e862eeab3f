package dev.framestream.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.cli.ScratchDirectory;
import dev.framestream.engine.Network;
import dev.framestream.ingest.CameraConfig;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.IngestRunner;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.TopicNames;

/**
 * The exactly-once guarantee under crashes: the classifier runs as a separate OS process and is
 * SIGKILLed {@code kills} times at random moments while it works (mid-batch, mid-commit) while ingest
 * publishes, and started again each time on the same state directory. At the end every frame the
 * broker acknowledged must have exactly one classification in {@code classifications} as a
 * read_committed consumer sees it.
 */
final class ChaosBenchmark {
    private static final Duration DRAIN = Duration.ofMinutes(3);

    /**
     * @param killWithin each classifier process is killed at a random moment within this time after
     *                   its first committed results (so every kill falls while it works)
     * @param logDir     where the classifier processes' output goes, kept after the run; null for a temporary place
     */
    record Settings(int frames, int kills, int cameras, Duration killWithin, int partitions, long seed, Path logDir) {
        /** About how long a classifier takes from its start to its first committed results on this kind of machine. */
        static final Duration START_UP = Duration.ofSeconds(6);

        Settings {
            if (frames < cameras || cameras < 1 || kills < 0 || partitions < 1 || killWithin.isNegative() || killWithin.isZero()) {
                throw new IllegalArgumentException("--frames must be at least --cameras (>= 1), --kills >= 0, --partitions >= 1 and"
                        + " --kill-within positive");
            }
        }

        /** Each camera's rate, so ingest lasts about as long as the kills take and frames flow through every one. */
        double fpsPerCamera() {
            double seconds = (kills + 1) * (START_UP.toMillis() + killWithin.toMillis() / 2.0) / 1000.0;
            return Math.max(1, frames / (double) cameras / Math.max(1, seconds));
        }
    }

    /**
     * @param sent       frames the broker acknowledged to ingest
     * @param distinct   distinct (camera, sequence) among the classifications: sent - distinct were lost
     * @param classified classifications read: classified - distinct were repeats
     * @param classifiedAtKills distinct frames classified and committed at each kill: the kills fell mid-stream when these climb
     */
    record Outcome(long sent, long failed, long classified, long distinct, int kills, int starts, List<Long> classifiedAtKills,
                   Map<String, Long> deadLetters, double seconds) {
        long lost() {
            return sent - distinct;
        }

        long duplicated() {
            return classified - distinct;
        }
    }

    private final Settings settings;
    private final Class<?> command;

    /** @param command the class whose {@code main} runs the framestream command, started as the classifier's process */
    ChaosBenchmark(Settings settings, Class<?> command) {
        this.settings = settings;
        this.command = command;
    }

    Outcome run(PrintStream progress) throws Exception {
        long began = System.nanoTime();
        try (ScratchDirectory work = ScratchDirectory.create("framestream-chaos"); EmbeddedBroker broker = EmbeddedBroker.start()) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                Topics.create(admin, settings.partitions(), (short) 1);
            }
            Path model = work.resolve("chaos.fsm");
            ModelFile.save(randomModel(), model);
            // Static membership: a restarted classifier takes its partitions back at once instead of after the
            // dead one's session times out. Prefixed so only Kafka Streams' main consumer takes it.
            Path clientConfig = Files.writeString(work.resolve("client.properties"),
                    "main.consumer.group.instance.id=chaos-classifier\nmain.consumer.session.timeout.ms=15000\n");
            List<String> classify = List.of("classify", "--bootstrap", broker.bootstrapServers(), "--client-config", clientConfig.toString(),
                    "--model", model.toString(), "--state-dir", work.resolve("state").toString(), "--commit-interval-ms", "100",
                    "--application-id", "chaos-classifier");
            SplittableRandom random = new SplittableRandom(settings.seed());
            int kills = 0;
            List<Long> classifiedAtKills = new ArrayList<>();
            Path logs = settings.logDir() == null ? work.path() : Files.createDirectories(settings.logDir());
            try (ServiceProcess classifier = new ServiceProcess(command, classify, logs.resolve("classifier.log"));
                 FramePublisher publisher = new FramePublisher(client, TopicNames.FRAMES, TopicNames.FRAMES_LABELLED);
                 ResultCounter results = new ResultCounter(client)) {
                classifier.start();
                Thread ingest = startIngest(publisher, settings, 0);
                for (; kills < settings.kills(); kills++) {
                    long started = System.nanoTime();
                    long before = results.distinct();
                    results.awaitMoreThan(before, DRAIN);        // it runs: it has committed results of its own
                    long within = random.nextLong(settings.killWithin().toMillis() + 1);
                    Thread.sleep(within);
                    classifier.kill();
                    classifiedAtKills.add(results.distinct());
                    progress.printf("  kill %d of %d, %.1f s after its start and %.1f s after its first results; %,d frames classified"
                            + " and committed so far%n", kills + 1, settings.kills(), (System.nanoTime() - started) / 1e9, within / 1e3,
                            results.distinct());
                    classifier.start();
                }
                ingest.join();
                publisher.flush();
                long sent = publisher.acknowledged();
                long failed = publisher.failed();
                progress.printf("  ingest done: %,d frames acknowledged, %d failed; waiting for the classifier to finish them%n", sent, failed);
                results.await(sent, DRAIN);
                Map<String, Long> dead = deadLetters(client);
                return new Outcome(sent, failed, results.classified(), results.distinct(), kills, classifier.starts(), classifiedAtKills, dead,
                        (System.nanoTime() - began) / 1e9);
            }
        }
    }

    /**
     * Synthetic cameras publishing {@code settings.frames()} frames in real time on a thread of
     * their own; every {@code labelledEvery}-th also to the labelled topic (0: none).
     */
    static Thread startIngest(FramePublisher publisher, Settings settings, int labelledEvery) {
        List<CameraConfig> cameras = new ArrayList<>();
        for (int i = 0; i < settings.cameras(); i++) {
            long count = settings.frames() / settings.cameras() + (i < settings.frames() % settings.cameras() ? 1 : 0);
            cameras.add(CameraConfig.builder("chaos-" + (i + 1), "synthetic").width(32).height(32).captureFps(settings.fpsPerCamera())
                    .seed(settings.seed() + i).count(count).realtime(true).labelledEvery(labelledEvery).build());
        }
        return Thread.ofPlatform().name("chaos-ingest").start(() -> {
            try {
                new IngestRunner(publisher, new SimpleMeterRegistry(), Duration.ofSeconds(1), Duration.ofSeconds(5), -1)
                        .run(cameras, (camera, read, total) -> { });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Counts classifications (read_committed) on a thread of its own from the start of the run. */
    private static final class ResultCounter implements AutoCloseable {
        private final Set<String> distinct = new HashSet<>();
        private final Thread thread;
        private long classified;
        private volatile boolean running = true;

        ResultCounter(Map<String, Object> client) {
            thread = Thread.ofPlatform().name("chaos-results").start(() -> {
                try (KafkaConsumer<String, Classification> consumer = new KafkaConsumer<>(reader(client, "chaos-reader"),
                        new StringDeserializer(), AvroSerde.classification().deserializer())) {
                    consumer.subscribe(List.of(TopicNames.CLASSIFICATIONS));
                    while (running) {
                        var records = consumer.poll(Duration.ofMillis(200));
                        synchronized (this) {
                            for (var record : records) {
                                classified++;
                                distinct.add(record.value().getCameraId() + "#" + record.value().getSequence());
                            }
                        }
                    }
                }
            });
        }

        synchronized long classified() {
            return classified;
        }

        synchronized long distinct() {
            return distinct.size();
        }

        /** Until more than {@code count} distinct frames are classified, or the patience runs out. */
        void awaitMoreThan(long count, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (distinct() <= count && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        /** Until every sent frame has a classification (then 3 s more, for a late repeat to show), or the patience runs out. */
        void await(long sent, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (distinct() < sent && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(3000);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private static Map<String, Long> deadLetters(Map<String, Object> client) {
        Map<String, Long> byReason = new TreeMap<>();
        try (KafkaConsumer<byte[], DeadLetter> consumer = new KafkaConsumer<>(reader(client, "chaos-dlq"), new ByteArrayDeserializer(),
                AvroSerde.deadLetter().deserializer())) {
            consumer.subscribe(List.of(TopicNames.DEAD_LETTERS));
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> byReason.merge(r.value().getReason().name(), 1L, Long::sum));
            }
        }
        return byReason;
    }

    static Map<String, Object> reader(Map<String, Object> client, String group) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return settings;
    }

    /** Any weights do: the guarantee is about frames, not labels. */
    private Model randomModel() {
        Network network = Network.build("DIGITS");
        network.initialise(settings.seed());
        return Model.untrained("chaos", network, Model.numberedClasses(10), 0);
    }
}
