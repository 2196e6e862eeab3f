package dev.framestream.classifier.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.batching.MicroBatcher;
import dev.framestream.classifier.batching.TopicFrameFetcher;
import dev.framestream.classifier.inference.BatchClassifier;
import dev.framestream.classifier.inference.InferenceQueue;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.classifier.weights.ModelSwitch;
import dev.framestream.classifier.weights.WeightsFollower;
import dev.framestream.classifier.weights.WeightsValidator;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.TopicNames;

/**
 * A running classifier: the Kafka Streams application of {@link ClassifierTopology} with
 * exactly_once_v2, the follower of {@code model.weights}, the engine's one worker pool that every
 * stream thread shares, and the metrics. Start-up order: serve {@code --model} if given, check
 * the topics exist while reading {@code model.weights} (a newer valid version there wins), then
 * start consuming frames once that topic is caught up.
 */
public final class ClassifierService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierService.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    /** About as long as a restart takes from here to its first records, so warming costs the frames nothing. */
    private static final Duration WARM_UP = Duration.ofSeconds(2);

    private final ClassifierConfig config;
    private final ClassifierMetrics metrics;
    private final WorkerPool pool;
    private final ModelSwitch models;
    private final String deadLetterTopic;
    private final KafkaProducer<byte[], byte[]> deadLetterProducer;
    private final WeightsFollower follower;
    private final InferenceQueue engine;
    private final TopicFrameFetcher fetcher;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final AssignmentLog assignments;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private ClassifierService(ClassifierConfig requested, MeterRegistry registry) throws IOException {
        this.metrics = new ClassifierMetrics(registry);
        this.deadLetterTopic = requested.settings().deadLetterTopic();
        byte[] modelBytes = requested.modelFile() == null ? null : readModelFile(requested.modelFile());
        this.pool = new WorkerPool(requested.engineThreads());
        WeightsValidator validator = new WeightsValidator(Kernels.best(), pool, requested.settings().maxBatch());
        this.models = new ModelSwitch(validator, metrics, requested.modelName(), requested.trustedKey());
        KafkaProducer<byte[], byte[]> letters = null;
        WeightsFollower weights = null;
        try {
            // A bad model file is refused before the cluster is asked anything: it is the quicker answer.
            if (modelBytes != null) {
                serveFile(requested.modelFile(), modelBytes);
            }
            letters = new KafkaProducer<>(producerSettings(requested.client()), new ByteArraySerializer(), new ByteArraySerializer());
            this.deadLetterProducer = letters;
            // The weights topic is read while the cluster is checked and the streams application is built:
            // a restarted classifier serves that much sooner. The checked config changes group settings only.
            weights = new WeightsFollower(requested.client(), requested.weightsTopic(), models, this::report).start();
            this.config = ClusterCheck.fit(requested);
        } catch (IOException | RuntimeException e) {
            closeQuietly(weights);
            if (letters != null) {
                letters.close(Duration.ZERO);
            }
            pool.close();
            throw e;
        }
        this.follower = weights;
        BatchClassifier classifier = new BatchClassifier(config.settings().topK(), config.settings().exactSize(), metrics,
                System::currentTimeMillis);
        this.engine = new InferenceQueue(classifier, config.settings().maxBatch());
        ServingModel first = models.get();
        if (first != null) {
            engine.warmUp(first, WARM_UP);      // while the streams application starts, rebalances and restores
        }
        this.fetcher = new TopicFrameFetcher(config.client());
        try {
            // Throws when the state directory is locked by another instance, for one.
            this.streams = new KafkaStreams(ClassifierTopology.build(config.settings(), models, engine, metrics,
                    System::currentTimeMillis, fetcher), streamsProperties(config));
        } catch (RuntimeException e) {
            fetcher.close();
            closeQuietly(follower);
            letters.close(Duration.ZERO);
            engine.close();
            pool.close();
            throw e;
        }
        this.assignments = new AssignmentLog(streams, config.membership().label());
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("a stream thread failed; stopping this instance (its uncommitted work will be redone exactly once by the next)", error);
            failure.compareAndSet(null, error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("classifier {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                assignments.changed();
            }
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
    }

    /** Waits for the weights topic to be read (a newer valid version there wins over the model file), then consumes frames. */
    private void run() throws InterruptedException {
        if (!follower.awaitCaughtUp(CATCH_UP)) {
            LOG.warn("{} took over {} s to read; starting with what has arrived", config.weightsTopic(), CATCH_UP.toSeconds());
        }
        if (models.get() == null) {
            LOG.info("no model yet: frames wait in the batch stores until valid weights{} arrive on {}",
                    models.followed() == null ? "" : " of " + models.followed(), config.weightsTopic());
        }
        streams.start();
    }

    /** Starts a classifier; meters go to {@code registry}. */
    public static ClassifierService start(ClassifierConfig config, MeterRegistry registry) throws IOException, InterruptedException {
        ClassifierService service = new ClassifierService(config, registry);
        try {
            service.run();
            return service;
        } catch (InterruptedException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** The version serving now, or null while it waits for one. */
    public ServingModel serving() {
        return models.get();
    }

    /** The partitions this instance's active tasks read, as of the last rebalance (which it also logs). */
    public List<TopicPartition> ownedPartitions() {
        return assignments.owned();
    }

    /** What this instance is called in the group, in its logs and in the header of its records. */
    public String instance() {
        return config.membership().label();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Stops classifying until {@link #resume()}, for a maintenance window or a benchmark: the
     * classifier keeps its partitions, its place in them and the frames waiting in its batches,
     * which wait with it. New frames stay on the topic (the consumer reads ahead up to its buffer).
     */
    public void pause() {
        streams.pause();
    }

    /** Classifies again from where {@link #pause()} stopped. */
    public void resume() {
        streams.resume();
    }

    /** Waits until the application processes (tasks assigned and restored); false on timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || stopped.getCount() == 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Blocks until the classifier stops by itself (a fatal error) and returns the error, or null. */
    public Throwable awaitStopped(Duration timeout) throws InterruptedException {
        stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return failure.get();
    }

    public ClassifierMetrics metrics() {
        return metrics;
    }

    private static byte[] readModelFile(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no model file there (--model); train one with framestream train --out " + file);
        }
    }

    /** The model file goes through the same validation and swap as any version on the topic; refused, it stops the start. */
    private void serveFile(Path file, byte[] bytes) {
        switch (models.offerFile(bytes, DeadLetters.Origin.outsideKafka(file.toString()))) {
            case ModelSwitch.Result.Rejected rejected -> throw new IllegalArgumentException(rejected.message() + " [" + rejected.reason() + "]");
            case ModelSwitch.Result.Ignored ignored -> throw new IllegalArgumentException("model file " + file + ": " + ignored.why()
                    + "; drop --model-name or give the file's model name");
            case ModelSwitch.Result.Swapped swapped -> {
            }
        }
    }

    /** Rejected weights go to the dead-letter topic like any refused record. */
    private void report(DeadLetter letter) {
        byte[] key = DeadLetters.originalKey(letter);
        byte[] value = AvroSerde.deadLetter().serializer().serialize(deadLetterTopic, letter);
        deadLetterProducer.send(new ProducerRecord<>(deadLetterTopic, key, value), (metadata, error) -> {
            if (error != null) {
                LOG.warn("could not report rejected weights {} to {}: {}", letter.getOriginOffset(), deadLetterTopic, error.toString());
            }
        });
    }

    private static void closeQuietly(WeightsFollower weights) {
        if (weights == null) {
            return;
        }
        try {
            weights.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Object> producerSettings(Map<String, Object> client) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicNames.MAX_FRAME_BYTES + 1024 * 1024);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "framestream-classifier-dead-letters");
        return settings;
    }

    private static Properties streamsProperties(ClassifierConfig config) {
        Properties props = new Properties();
        props.putAll(config.client());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // A thread waiting for records also runs the batch punctuation: it must not sleep in poll past a due batch.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.clamp(config.settings().maxWait().toMillis() / 2, 1, 100));
        props.put("processing.exception.handler.global.enabled", "true");
        GroupMembership membership = config.membership();
        if (membership.isStatic()) {
            // Kafka Streams gives each stream thread's consumer this id with the thread's number appended.
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), membership.instanceId());
        }
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) membership.sessionTimeout().toMillis());
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int) membership.heartbeatInterval().toMillis());
        // A dead instance's open transaction keeps the offsets it was committing unstable, and the instance
        // taking its partitions over cannot start until the broker aborts it: that happens after this timeout.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) membership.transactionTimeout().toMillis());
        props.put(MicroBatcher.INSTANCE_CONFIG, membership.label());
        if (config.stateDir() != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        }
        // The batch store's changelog and the dead-letter topic carry whole frames.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), TopicNames.MAX_FRAME_BYTES + 1024 * 1024);
        return props;
    }

    /**
     * Stops consuming (committing what is done), then the follower, the producer and the pool. It
     * leaves the consumer group, so another instance takes the partitions over at once instead of
     * after the session timeout.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
        fetcher.close();
        assignments.close();
        closeQuietly(follower);
        deadLetterProducer.close(Duration.ofSeconds(5));
        engine.close();
        pool.close();
    }
}
