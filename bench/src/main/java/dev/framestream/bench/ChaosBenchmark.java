package dev.framestream.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.cli.ScratchDirectory;
import dev.framestream.engine.Network;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.TopicNames;

/**
 * Exactly once and recovery under crashes: classifier instances run as separate OS processes
 * sharing the frames topic, and one of them, chosen at random, is SIGKILLed {@code kills} times at
 * random moments while it works (mid-batch, mid-commit) while ingest publishes, then started again
 * on its own state directory, at once or after {@link Cluster#restartAfter}. At the end every
 * frame the broker acknowledged must have exactly one classification in {@code classifications}
 * as a read_committed consumer sees it; each kill says how soon the dead instance's partitions
 * were served again, by whom, and how soon the restarted instance served again. The instances run
 * as {@code classify} runs by default: static members with the default session timeout.
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
            return fpsPerCamera(Duration.ZERO);
        }

        /** The same when each killed service stays dead for {@code restartAfter}: frames flow until after the last restart too. */
        double fpsPerCamera(Duration restartAfter) {
            double seconds = ((kills + 1) * (START_UP.toMillis() + killWithin.toMillis() / 2.0) + kills * restartAfter.toMillis()) / 1000.0;
            return Math.max(1, frames / (double) cameras / Math.max(1, seconds));
        }
    }

    /**
     * The classifier instances of a run.
     *
     * @param instances    classifier processes sharing the work (same application id, each its own instance id and state)
     * @param restartAfter how long a killed instance stays dead before it is started again: zero measures restarts, longer than
     *                     the session timeout measures the survivors' takeover
     * @param membership   classify's group flags for every instance ({@code --session-timeout 45s}, {@code --instance-id none}),
     *                     empty for its defaults
     * @param clientConfig extra Kafka client settings for the classifiers (classify --client-config), or null for none
     */
    record Cluster(int instances, Duration restartAfter, List<String> membership, Path clientConfig) {
        Cluster {
            if (instances < 1 || restartAfter.isNegative()) {
                throw new IllegalArgumentException("--instances must be at least 1 and --restart-after not negative");
            }
        }

        /** One classifier, restarted at once after each kill. */
        static Cluster single() {
            return new Cluster(1, Duration.ZERO, List.of(), null);
        }
    }

    /**
     * One kill and what followed.
     *
     * @param victim          the instance killed
     * @param owned           the partitions it served when it died
     * @param servedAgain     seconds from the kill until every one of them had a new committed result (NaN: not all did)
     * @param servedBy        the instances that served them then
     * @param firstResult     seconds from the restart until the restarted instance's first committed result (NaN: none came)
     * @param classifiedSoFar distinct frames classified and committed when it died
     * @param cutShort        the next kill came before every one of its partitions was served again, so
     *                        {@code servedAgain} includes that kill's recovery too
     */
    record Kill(String victim, Set<Integer> owned, double servedAgain, Set<String> servedBy, double firstResult, long classifiedSoFar,
                boolean cutShort) {
    }

    /**
     * @param sent        frames the broker acknowledged to ingest
     * @param distinct    distinct (camera, sequence) among the classifications: sent - distinct were lost
     * @param classified  classifications read: classified - distinct were repeats
     * @param perInstance classifications each instance made (the records' header)
     */
    record Outcome(long sent, long failed, long classified, long distinct, List<Kill> kills, int starts, Map<String, Long> perInstance,
                   Map<String, Long> deadLetters, double seconds) {
        long lost() {
            return sent - distinct;
        }

        long duplicated() {
            return classified - distinct;
        }
    }

    private final Settings settings;
    private final Cluster cluster;
    private final Class<?> command;

    /** @param command the class whose {@code main} runs the framestream command, started as the classifiers' processes */
    ChaosBenchmark(Settings settings, Cluster cluster, Class<?> command) {
        this.settings = settings;
        this.cluster = cluster;
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
            Path logs = settings.logDir() == null ? work.path() : Files.createDirectories(settings.logDir());
            SplittableRandom random = new SplittableRandom(settings.seed());
            Map<String, ServiceProcess> instances = new LinkedHashMap<>();
            List<Moment> moments = new ArrayList<>();
            try (FramePublisher publisher = new FramePublisher(client, TopicNames.FRAMES, TopicNames.FRAMES_LABELLED);
                 ChaosResults results = new ChaosResults(client)) {
                for (int i = 1; i <= cluster.instances(); i++) {
                    String id = "chaos-" + i;
                    instances.put(id, new ServiceProcess(command, classify(broker, model, work, id), logs.resolve("classifier-" + id + ".log")));
                }
                Map<String, Long> startedAt = new HashMap<>();
                for (var instance : instances.entrySet()) {
                    startedAt.put(instance.getKey(), System.currentTimeMillis());
                    instance.getValue().start();
                }
                ChaosIngest ingest = ChaosIngest.openEnded(publisher, settings, settings.fpsPerCamera(cluster.restartAfter()));
                List<String> ids = List.copyOf(instances.keySet());
                for (int k = 0; k < settings.kills(); k++) {
                    String victim = ids.get(random.nextInt(ids.size()));
                    results.awaitWorking(victim, startedAt.get(victim), DRAIN);      // it runs: it has committed results of its own
                    Thread.sleep(random.nextLong(settings.killWithin().toMillis() + 1));
                    long killed = System.currentTimeMillis();
                    long lived = killed - startedAt.get(victim);
                    instances.get(victim).kill();
                    long classifiedSoFar = results.distinct();
                    Thread.sleep(cluster.restartAfter().toMillis());
                    long restarted = System.currentTimeMillis();
                    startedAt.put(victim, restarted);
                    instances.get(victim).start();
                    moments.add(new Moment(victim, killed, restarted, classifiedSoFar));
                    progress.printf("  kill %d of %d: %s, %.1f s after its start; %,d frames classified and committed so far%n", k + 1,
                            settings.kills(), victim, lived / 1e3, classifiedSoFar);
                }
                // Frames flow until the last instance to come back has classified some of its own, so its return is
                // measured however long the cluster took to start, and until --frames of them were sent.
                if (!moments.isEmpty()) {
                    results.awaitWorking(moments.getLast().victim(), moments.getLast().restarted(), DRAIN);
                }
                ingest.stopAfter(settings.frames(), DRAIN);
                publisher.flush();
                long sent = publisher.framesAcknowledged();
                progress.printf("  ingest done: %,d frames acknowledged, %d failed; waiting for the classifiers to finish them%n", sent,
                        publisher.failed());
                results.await(sent, DRAIN);
                List<Kill> kills = new ArrayList<>();
                for (int k = 0; k < moments.size(); k++) {
                    kills.add(moments.get(k).outcome(results, k + 1 < moments.size() ? moments.get(k + 1).killed() : Long.MAX_VALUE));
                }
                int starts = instances.values().stream().mapToInt(ServiceProcess::starts).sum();
                return new Outcome(sent, publisher.failed(), results.classified(), results.distinct(), kills, starts, results.perInstance(),
                        deadLetters(client), (System.nanoTime() - began) / 1e9);
            } finally {
                for (ServiceProcess instance : instances.values()) {
                    instance.close();
                }
            }
        }
    }

    /** A kill, measured once the run is over and every result of the time after it has been read. */
    private record Moment(String victim, long killed, long restarted, long classifiedSoFar) {
        /** @param nextKill when the next kill came (epoch ms; Long.MAX_VALUE: none) */
        Kill outcome(ChaosResults results, long nextKill) {
            Set<Integer> owned = results.ownedAt(victim, killed);
            double servedAgain = owned.isEmpty() ? Double.NaN : 0;
            boolean cutShort = false;
            Set<String> servedBy = new TreeSet<>();
            for (int partition : owned) {
                ChaosResults.Seen next = results.firstOnAfter(partition, killed);
                if (next == null) {
                    servedAgain = Double.NaN;
                    break;
                }
                servedAgain = Math.max(servedAgain, (next.readAt() - killed) / 1e3);
                servedBy.add(next.instance());
                cutShort |= next.readAt() > nextKill;
            }
            OptionalLong first = results.firstByAfter(victim, restarted);
            return new Kill(victim, owned, servedAgain, servedBy, first.isPresent() ? (first.getAsLong() - restarted) / 1e3 : Double.NaN,
                    classifiedSoFar, cutShort);
        }
    }

    /** The classify command of one instance: its own id and state directory, the bench's model, no other setting. */
    private List<String> classify(EmbeddedBroker broker, Path model, ScratchDirectory work, String id) {
        List<String> args = new ArrayList<>(List.of("classify", "--bootstrap", broker.bootstrapServers(), "--model", model.toString(),
                "--state-dir", work.resolve("state-" + id).toString(), "--commit-interval-ms", "100", "--application-id", "chaos-classifier",
                "--instance-id", id, "--engine-threads", "1"));
        args.addAll(cluster.membership());      // a later --instance-id wins
        if (cluster.clientConfig() != null) {
            args.addAll(List.of("--client-config", cluster.clientConfig().toString()));
        }
        return args;
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
