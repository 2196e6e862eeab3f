package dev.framestream.classifier.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.classifier.TestModels;
import dev.framestream.classifier.batching.MicroBatcher;
import dev.framestream.classifier.inference.BatchClassifier;
import dev.framestream.classifier.inference.InferenceQueue;
import dev.framestream.classifier.weights.ModelSwitch;
import dev.framestream.classifier.weights.WeightsValidator;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.model.Model;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The real topology under {@link TopologyTestDriver}, with a real engine and model switch. */
final class TopologyHarness implements AutoCloseable {
    /** The instance name the harness's application runs as. */
    static final String INSTANCE = "harness-1";

    static final long CLASSIFIED_AT = 900_000;

    final AtomicLong clock = new AtomicLong();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ClassifierMetrics metrics = new ClassifierMetrics(registry);
    final WorkerPool pool = new WorkerPool(2);
    final ModelSwitch models;
    final InferenceQueue engine;
    private final Duration tick;
    final Topology topology;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> frames;
    final TestOutputTopic<String, Classification> classifications;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;

    TopologyHarness(int maxBatch, Duration maxWait, boolean exactSize) {
        ClassifierSettings settings = new ClassifierSettings(TopicNames.FRAMES, TopicNames.CLASSIFICATIONS, TopicNames.DEAD_LETTERS,
                maxBatch, maxWait, 2, exactSize);
        models = new ModelSwitch(new WeightsValidator(Kernels.best(), pool, maxBatch), metrics, null);
        BatchClassifier classifier = new BatchClassifier(settings.topK(), exactSize, metrics, () -> CLASSIFIED_AT);
        engine = new InferenceQueue(classifier, maxBatch);
        tick = settings.tick();
        // The batcher reads the same mock wall clock the driver's punctuations run on.
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "classifier-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put("processing.exception.handler.global.enabled", "true");
        props.put(MicroBatcher.INSTANCE_CONFIG, INSTANCE);
        topology = ClassifierTopology.build(settings, models, engine, metrics, clock::get,
                origins -> { throw new AssertionError("nothing is restored under the test driver"); });
        driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(0));
        frames = driver.createInputTopic(TopicNames.FRAMES, new ByteArraySerializer(), new ByteArraySerializer());
        classifications = driver.createOutputTopic(TopicNames.CLASSIFICATIONS, new StringDeserializer(),
                AvroSerde.classification().deserializer());
        deadLetters = driver.createOutputTopic(TopicNames.DEAD_LETTERS, new ByteArrayDeserializer(), AvroSerde.deadLetter().deserializer());
    }

    void serve(Model model) {
        ModelSwitch.Result result = models.offer(TestModels.record(model), DeadLetters.Origin.outsideKafka("test"));
        if (!(result instanceof ModelSwitch.Result.Swapped)) {
            throw new AssertionError("the test model did not swap in: " + result);
        }
    }

    void send(Frame frame) {
        frames.pipeInput(frame.getCameraId().getBytes(), TestModels.bytes(frame));
    }

    void waitFor(Duration duration) {
        clock.addAndGet(duration.toMillis());
        driver.advanceWallClockTime(duration);
    }

    /**
     * Lets the engine finish every batch sent so far, then one tick of the batcher's clock pass: the
     * batcher forwards a finished batch at its task's next record or tick.
     */
    void settle() {
        try {
            engine.awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        waitFor(tick);
    }

    double count(String meter, String tag, String value) {
        var counter = registry.find(meter).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        driver.close();
        engine.close();
        pool.close();
    }
}
