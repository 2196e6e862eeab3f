package dev.framestream.app.classify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.framestream.app.logging.LogFile;
import dev.framestream.app.kafka.KafkaOptions;
import dev.framestream.app.metrics.MetricsOptions;
import dev.framestream.app.metrics.MetricsServer;
import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.classifier.streams.ClassifierConfig;
import dev.framestream.classifier.streams.ClassifierService;
import dev.framestream.classifier.streams.GroupMembership;
import dev.framestream.cli.DurationConverter;
import dev.framestream.cli.StopSignal;
import dev.framestream.cli.StreamThreadsOption;
import dev.framestream.model.WeightsSigning;
import dev.framestream.schemas.TopicNames;
import io.micrometer.core.instrument.MeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code framestream classify}: runs the classifier until Ctrl-C. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Run the classifier, a Kafka Streams application: frames -> validate -> micro-batch -> CNN -> classifications,",
                "exactly once (exactly_once_v2). Bad records go to the dead-letter topic with a reason; the stream goes on.",
                "",
                "Weights: it follows the compacted weights topic and swaps in every newer valid version of its model between two",
                "batches. With --model FILE it serves that file until a newer version arrives; without, frames wait (none is lost)",
                "until the first valid version arrives on the topic.",
                "",
                "Scale out by running more instances with the same --application-id (partitions are the unit of scale).",
                "",
                "Example: framestream classify --bootstrap 127.0.0.1:9092 --model digits.fsm --metrics-port 9401"})
public final class ClassifyCommand implements Callable<Integer> {
    private static final Duration STATUS_EVERY = Duration.ofSeconds(10);

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--model", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_MODEL}",
            description = "Serve this model file (from framestream train) until a newer version of it arrives on the weights topic.")
    private Path model;

    @Option(names = "--model-name", paramLabel = "NAME", defaultValue = "${env:FRAMESTREAM_MODEL_NAME}",
            description = "The model to follow on the weights topic (default: the --model file's; without either, the first valid one).")
    private String modelName;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "${env:FRAMESTREAM_APPLICATION_ID:-framestream-classifier}",
            description = "Kafka Streams application id: instances with the same id share the work (default: ${DEFAULT-VALUE}).")
    private String applicationId;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_MAX_BATCH:-32}",
            description = "Frames per engine call at most; a full batch goes at once (default: ${DEFAULT-VALUE}).")
    private int maxBatch;

    @Option(names = "--max-wait-ms", paramLabel = "MS", defaultValue = "${env:FRAMESTREAM_MAX_WAIT_MS:-10}",
            description = "The longest a frame waits for its batch to fill (default: ${DEFAULT-VALUE}).")
    private long maxWaitMs;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "${env:FRAMESTREAM_TOP_K:-3}",
            description = "Labels per classification, most probable first (default: ${DEFAULT-VALUE}).")
    private int topK;

    @Option(names = "--exact-size", defaultValue = "${env:FRAMESTREAM_EXACT_SIZE:-false}",
            description = "Refuse frames that are not already the model's input size, instead of resizing them.")
    private boolean exactSize;

    @Mixin
    private final StreamThreadsOption streamThreads = new StreamThreadsOption();

    @Option(names = "--engine-threads", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_ENGINE_THREADS:-0}",
            description = "Threads of the engine pool that runs every stream thread's batches, the inference thread among them; 0 = one per core (default: ${DEFAULT-VALUE}).")
    private int engineThreads;

    @Option(names = "--commit-interval-ms", paramLabel = "MS", defaultValue = "${env:FRAMESTREAM_COMMIT_INTERVAL_MS:-50}",
            description = "How often results are committed (one transaction each) and become visible to read_committed readers (default: ${DEFAULT-VALUE}).")
    private long commitIntervalMs;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:FRAMESTREAM_STATE_DIR}",
            description = "Kafka Streams' state directory (default: Kafka Streams' own, under the temp directory).")
    private Path stateDir;

    @Option(names = "--frames-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_FRAMES_TOPIC:-" + TopicNames.FRAMES + "}",
            description = "Topic to classify (default: ${DEFAULT-VALUE}).")
    private String framesTopic;

    @Option(names = "--classifications-topic", paramLabel = "TOPIC",
            defaultValue = "${env:FRAMESTREAM_CLASSIFICATIONS_TOPIC:-" + TopicNames.CLASSIFICATIONS + "}",
            description = "Topic for the results (default: ${DEFAULT-VALUE}).")
    private String classificationsTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_DEAD_LETTER_TOPIC:-" + TopicNames.DEAD_LETTERS + "}",
            description = "Topic for refused frames and weights (default: ${DEFAULT-VALUE}).")
    private String deadLetterTopic;

    @Option(names = "--weights-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_WEIGHTS_TOPIC:-" + TopicNames.MODEL_WEIGHTS + "}",
            description = "Compacted topic of model versions to follow (default: ${DEFAULT-VALUE}).")
    private String weightsTopic;

    @Option(names = "--instance-id", paramLabel = "ID|none", defaultValue = "${env:FRAMESTREAM_INSTANCE_ID}",
            description = "This instance's static member id in the group: restarted with the same id, it takes its partitions back at"
                    + " once, without a rebalance. Give each instance its own, stable across restarts (a StatefulSet pod name);"
                    + " none = a dynamic member (default: this host and the state directory).")
    private String instanceId;

    @Option(names = "--session-timeout", paramLabel = "TIME", defaultValue = "${env:FRAMESTREAM_SESSION_TIMEOUT:-3s}",
            converter = DurationConverter.class,
            description = "How long an instance may go without a heartbeat before the others take its partitions, and how long"
                    + " its transactions may stay open (a dead instance's open one holds its partitions until the brokers abort it);"
                    + " kept inside the brokers' group.min/max.session.timeout.ms (default: ${DEFAULT-VALUE}).")
    private Duration sessionTimeout;

    @Option(names = "--verify-key", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_VERIFY_KEY}",
            description = "Serve only versions from the weights topic signed with this Ed25519 public key's private key (the trainer's"
                    + " --signing-key); others are refused and reported as BAD_WEIGHTS. The --model file is trusted as it is.")
    private Path verifyKey;

    @Mixin
    private MetricsOptions metricsOptions;

    @Override
    public Integer call() throws Exception {
        if (streamThreads.count() < 1 || engineThreads < 0 || commitIntervalMs < 1) {
            throw new IllegalArgumentException("--threads and --commit-interval-ms must be at least 1 and --engine-threads at least 0");
        }
        ClassifierSettings settings = new ClassifierSettings(framesTopic, classificationsTopic, deadLetterTopic, maxBatch,
                Duration.ofMillis(maxWaitMs), topK, exactSize);
        int engine = engineThreads == 0 ? Runtime.getRuntime().availableProcessors() : engineThreads;
        ClassifierConfig config = ClassifierConfig.builder(kafka.clientProperties(), settings).applicationId(applicationId)
                .weightsTopic(weightsTopic).modelFile(model).modelName(modelName).streamThreads(streamThreads.count()).engineThreads(engine)
                .commitInterval(Duration.ofMillis(commitIntervalMs)).stateDir(stateDir)
                .trustedKey(verifyKey == null ? null : WeightsSigning.readPublicKey(verifyKey)).membership(membership()).build();
        try (StopSignal interrupted = StopSignal.install("classify", Duration.ofSeconds(40));
             MetricsServer metrics = metricsOptions.start();
             ClassifierService service = ClassifierService.start(config, metrics.registry())) {
            if (metrics.url() != null) {
                System.err.println("metrics: " + metrics.url());
            }
            System.err.printf("classifying %s -> %s (application %s, instance %s); Ctrl-C stops%n", framesTopic, classificationsTopic,
                    applicationId, service.instance());
            LogFile.startLine().ifPresent(System.err::println);
            Status status = new Status(metrics.registry());
            while (!interrupted.await(STATUS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                if (service.awaitStopped(Duration.ZERO) != null || service.state().hasCompletedShutdown()) {
                    System.err.println("the classifier stopped: " + service.awaitStopped(Duration.ZERO));
                    return 1;
                }
                System.err.println(status.line(service.serving()));
            }
            System.err.println(status.line(service.serving()));
            return 0;
        }
    }

    private GroupMembership membership() {
        if ("none".equals(instanceId)) {
            return GroupMembership.dynamic(sessionTimeout);
        }
        return GroupMembership.staticMember(instanceId != null ? instanceId : GroupMembership.defaultInstanceId(stateDir), sessionTimeout);
    }

    /** One status line: the counters and the rate since the last line. */
    private static final class Status {
        private final MeterRegistry registry;
        private double lastOut;
        private long lastAt = System.nanoTime();

        Status(MeterRegistry registry) {
            this.registry = registry;
        }

        String line(ServingModel serving) {
            double in = sum("framestream.classifier.frames.in");
            double out = sum("framestream.classifier.frames.out");
            double dead = sum("framestream.classifier.frames.dead.lettered");
            long now = System.nanoTime();
            double rate = (out - lastOut) / Math.max(1e-9, (now - lastAt) / 1e9);
            lastOut = out;
            lastAt = now;
            return String.format("%.0f frames in, %.0f classified (%.0f/s), %.0f dead letters, %.0f waiting; model %s", in, out, rate, dead,
                    registry.get("framestream.classifier.frames.pending").gauge().value(),
                    serving == null ? "none yet (waiting for weights)" : serving.model().name() + " v" + serving.version());
        }

        private double sum(String name) {
            return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
        }
    }
}
