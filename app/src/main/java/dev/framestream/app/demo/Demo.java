package dev.framestream.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.classifier.streams.ClassifierConfig;
import dev.framestream.classifier.streams.ClassifierService;
import dev.framestream.cli.ScratchDirectory;
import dev.framestream.engine.Network;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.IngestRunner;
import dev.framestream.media.ImageFolder;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.TopicNames;
import dev.framestream.trainer.data.Augmentation;
import dev.framestream.trainer.online.OnlineListener;
import dev.framestream.trainer.online.OnlineRecipe;
import dev.framestream.trainer.online.OnlineSettings;
import dev.framestream.trainer.online.OnlineTrainer;
import dev.framestream.trainer.online.OnlineTrainerConfig;

/**
 * The whole pipeline in one process: an embedded broker with the framestream topics, ingest
 * cameras publishing labelled frames, the classifier serving version 1 (random weights or
 * {@code --model}) and hot-swapping every version the online trainer publishes, and a
 * read_committed watcher of the results. Closing stops ingest first, lets the classifier finish
 * what was sent, makes the trainer's last checkpoint, then stops the rest.
 */
final class Demo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final String MODEL_NAME = "demo";
    private static final Duration DRAIN = Duration.ofSeconds(20);

    /** Everything the status block shows, at one moment. */
    record Status(long elapsedMillis, int classes, long framesPublished, ResultWatcher.Snapshot results, long servingVersion, double swaps,
                  long trainerSteps, long versionsPublished, long versionsRejected, double validationAccuracy, Map<String, Long> deadLetters) {

        long deadLettersTotal() {
            return deadLetters.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final DemoSettings settings;
    private final MeterRegistry registry;
    private final ScratchDirectory work;
    private final long started = System.nanoTime();
    private EmbeddedBroker broker;
    private Model initial;
    private ClassifierService classifier;
    private OnlineTrainer trainer;
    private ResultWatcher watcher;
    private FramePublisher publisher;
    private Thread ingest;
    private Status finalStatus;

    private Demo(DemoSettings settings, MeterRegistry registry) throws IOException {
        this.settings = settings;
        this.registry = registry;
        this.work = ScratchDirectory.create("framestream-demo");
    }

    /** Starts every part; on a failure, stops what was started and rethrows. */
    static Demo start(DemoSettings settings, MeterRegistry registry) throws Exception {
        Demo demo = new Demo(settings, registry);
        try {
            demo.startAll();
            return demo;
        } catch (Exception | Error e) {
            demo.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        initial = initialModel();
        Path modelFile = work.resolve("demo-v" + initial.version() + ".fsm");
        ModelFile.save(initial, modelFile);
        broker = EmbeddedBroker.start();
        Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            Topics.create(admin, settings.partitions(), (short) 1);
        }
        watcher = new ResultWatcher(client, TopicNames.CLASSIFICATIONS);
        ClassifierSettings classify = new ClassifierSettings(TopicNames.FRAMES, TopicNames.CLASSIFICATIONS, TopicNames.DEAD_LETTERS, 32,
                Duration.ofMillis(10), 3, false);
        classifier = ClassifierService.start(ClassifierConfig.builder(client, classify).applicationId("framestream-demo-classifier")
                .modelFile(modelFile).modelName(MODEL_NAME).engineThreads(settings.engineThreads()).commitInterval(Duration.ofMillis(100))
                .stateDir(work.resolve("state")).build(), registry);
        OnlineSettings online = OnlineSettings.builder()
                .publishEvery(settings.publishEvery())
                .recipe(OnlineRecipe.builder().learningRate(settings.learningRate()).weightDecay(0.01).labelSmoothing(0)
                        .augmentation(Augmentation.none()).seed(settings.seed()).build())
                .build();
        OnlineTrainerConfig trainerConfig = OnlineTrainerConfig.builder(client, initial).modelName(MODEL_NAME).settings(online)
                .initialTrained(true).engineThreads(settings.engineThreads()).build();
        trainer = OnlineTrainer.start(trainerConfig, registry, new OnlineListener() { });
        publisher = new FramePublisher(client, TopicNames.FRAMES, TopicNames.FRAMES_LABELLED);
        IngestRunner runner = new IngestRunner(publisher, registry, Duration.ofSeconds(1), Duration.ofSeconds(30), -1);
        ingest = Thread.ofPlatform().name("framestream-demo-ingest").start(() -> {
            try {
                runner.run(settings.cameraConfigs(), (camera, read, total) -> { });
            } catch (InterruptedException e) {
                // close() stops the cameras
            } catch (RuntimeException e) {
                LOG.error("ingest stopped: {}", e.getMessage(), e);
            }
        });
    }

    /** Version 1 of the demo model: the {@code --model} file, or random weights of {@code --net} for the data's classes. */
    private Model initialModel() throws IOException {
        if (settings.model() != null) {
            return ModelFile.load(settings.model()).named(MODEL_NAME);
        }
        Network network = Network.build(settings.net());
        network.initialise(settings.seed());
        return Model.untrained(MODEL_NAME, network, classNames(network.outputShape().size()), 0);
    }

    /** A folder's classes are its sub-folders; the synthetic cameras, grid images and IDX files label 0 to 9. */
    private List<String> classNames(int outputs) throws IOException {
        List<String> classes = settings.data() != null && Files.isDirectory(settings.data())
                ? ImageFolder.list(settings.data()).classNames()
                : Model.numberedClasses(10);
        if (classes.size() != outputs) {
            throw new IllegalArgumentException("--net " + settings.net() + " has " + outputs + " outputs but the data has " + classes.size()
                    + " classes " + classes + "; give a --net spec ending in fc " + classes.size() + " | softmax");
        }
        return classes;
    }

    Status status() {
        ServingModel serving = classifier.serving();
        Map<String, Long> dead = new TreeMap<>();
        for (String name : List.of("framestream.classifier.frames.dead.lettered", "framestream.trainer.frames.dead.lettered",
                "framestream.classifier.weights.rejected")) {
            for (Counter counter : registry.find(name).counters()) {
                if (counter.count() > 0) {
                    dead.merge(counter.getId().getTag("reason"), (long) counter.count(), Long::sum);
                }
            }
        }
        return new Status((System.nanoTime() - started) / 1_000_000, initial.classNames().size(), (long) sum("framestream.ingest.frames.published"), watcher.snapshot(),
                serving == null ? 0 : serving.version(), sum("framestream.classifier.model.swaps"), (long) sum("framestream.trainer.steps"),
                (long) sum("framestream.trainer.versions.published"), (long) sum("framestream.trainer.versions.rejected"),
                gauge("framestream.trainer.validation.accuracy"), dead);
    }

    private double sum(String name) {
        return registry.find(name).meters().stream().mapToDouble(m -> {
            for (var measurement : m.measure()) {
                return measurement.getValue();
            }
            return 0;
        }).sum();
    }

    /** NaN until the meter exists (the trainer binds its gauges once it has resumed). */
    private double gauge(String name) {
        var gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /** Version 1 or the {@code --model} file's version: what the classifier serves first and the trainer starts from. */
    Model initial() {
        return initial;
    }

    /** Null while every service runs; otherwise what stopped. */
    String failure() throws InterruptedException {
        Throwable classifierFailure = classifier.awaitStopped(Duration.ZERO);
        if (classifierFailure != null) {
            return "the classifier stopped: " + classifierFailure.getMessage();
        }
        Throwable trainerFailure = trainer.awaitStopped(Duration.ZERO);
        return trainerFailure == null ? null : "the trainer stopped: " + trainerFailure.getMessage();
    }

    /** The status once stopped: every result read, the trainer's last checkpoint made. Null before {@link #close()}. */
    Status finalStatus() {
        return finalStatus;
    }

    /**
     * Stops the cameras, waits (at most 20 s) until every published frame is classified or
     * dead-lettered, makes the trainer's last checkpoint, then stops the classifier and the broker.
     */
    @Override
    public void close() throws Exception {
        if (ingest != null) {
            ingest.interrupt();
            ingest.join();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (classifier != null && watcher != null) {
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (System.nanoTime() < deadline && failure() == null) {
                Status now = status();
                if (now.results().classified() + (long) sum("framestream.classifier.frames.dead.lettered") >= now.framesPublished()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        closeQuietly(trainer);
        if (classifier != null && watcher != null) {
            finalStatus = status();
        }
        closeQuietly(classifier);
        closeQuietly(watcher);
        closeQuietly(broker);
        work.close();
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("stopping {}: {}", part.getClass().getSimpleName(), e.getMessage());
        }
    }
}
