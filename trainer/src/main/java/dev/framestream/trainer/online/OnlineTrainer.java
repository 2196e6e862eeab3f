package dev.framestream.trainer.online;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.model.OffsetRange;
import dev.framestream.model.TrainingSummary;
import dev.framestream.model.WeightsSigning;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.FrameChecks;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.TrainingProgress;
import dev.framestream.schemas.WeightsTopic;

/**
 * The online trainer: consumes {@code frames.labelled}, learns with an {@link OnlineLearner}, and
 * at every checkpoint commits, in one Kafka transaction, the offsets it consumed, the dead letters
 * it found since the last checkpoint, and the challenger when it passes the gate. Weights, offsets
 * and dead letters thus move together: a trainer killed at any moment restarts from the last
 * version and the offsets committed with it, losing only the steps since, and reports no bad
 * record twice.
 *
 * <p>Start-up: the transactional id ({@code framestream-trainer-<model>}) fences any older
 * instance and settles its open transaction; then the newest valid version on the weights topic is
 * the starting point (else the initial model), the next version is one more than the highest
 * ever committed, consumption resumes at the committed offsets, and the records just before them
 * are read back to refill the replay buffer and the validation window (not trained on again).
 *
 * <p>Progress goes out every {@code progressEvery} while steps are taken, and at every checkpoint,
 * on {@code training.progress}, outside the transaction, so dashboards see it at once.
 */
public final class OnlineTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final SingleObjectCodec<DeadLetter> DEAD_LETTERS = SingleObjectCodec.deadLetter();
    private static final SingleObjectCodec<TrainingProgress> PROGRESS = SingleObjectCodec.trainingProgress();

    private final OnlineTrainerConfig config;
    private final OnlineSettings settings;
    private final TrainerMetrics metrics;
    private final OnlineListener listener;
    private final WorkerPool pool;
    private final KafkaProducer<byte[], byte[]> transactional;
    private final KafkaProducer<byte[], byte[]> progressProducer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final byte[] modelKey;
    private final Set<Reason> reasonsSeen = EnumSet.noneOf(Reason.class);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private Model model;
    private OnlineLearner learner;
    private LabelledFrames frames;
    private List<TopicPartition> partitions;
    private Map<TopicPartition, Long> rangeStart;
    private long highestVersion;
    private OptionalLong championVersion = OptionalLong.empty();
    private boolean inTransaction;
    private long consumedSinceCheckpoint;
    private long stepsAtCheckpoint;
    private long lastCheckpoint = System.nanoTime();
    private long lastProgress = System.nanoTime();
    private long stepsAtProgress = -1;
    private volatile boolean running = true;

    private OnlineTrainer(OnlineTrainerConfig config, MeterRegistry registry, OnlineListener listener) {
        this.config = config;
        this.settings = config.settings();
        this.metrics = new TrainerMetrics(registry);
        this.listener = listener;
        this.modelKey = config.modelName().getBytes(StandardCharsets.UTF_8);
        this.pool = new WorkerPool(config.engineThreads());
        this.transactional = new KafkaProducer<>(TrainerClients.transactional(config), new ByteArraySerializer(), new ByteArraySerializer());
        this.progressProducer = new KafkaProducer<>(TrainerClients.progress(config.client()), new ByteArraySerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(TrainerClients.consumer(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().name("framestream-online-trainer").unstarted(this::run);
    }

    /** Resumes from the weights topic and the committed offsets, then trains on a thread of its own until {@link #close()}. */
    public static OnlineTrainer start(OnlineTrainerConfig config, MeterRegistry registry, OnlineListener listener) {
        OnlineTrainer trainer = new OnlineTrainer(config, registry, listener);
        try {
            trainer.resume();
        } catch (RuntimeException e) {
            trainer.closeClients();
            throw e;
        }
        trainer.thread.start();
        return trainer;
    }

    private void resume() {
        try {
            transactional.initTransactions();     // fences an older instance and settles its open transaction
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + config.client().get("bootstrap.servers")
                    + " to start the trainer's transactions: " + e.getMessage() + "; is the broker up (framestream broker)?", e);
        }
        PublishedVersions published = PublishedVersions.read(config.client(), settings.weightsTopic(), config.modelName());
        Model initial = config.initial().named(config.modelName());
        highestVersion = Math.max(published.highestVersion(), config.initialTrained() ? initial.version() : 0);
        if (published.latestValid().isPresent()) {
            model = published.latestValid().get();
            championVersion = OptionalLong.of(model.version());
            if (!model.network().spec().equals(initial.network().spec()) || !model.classNames().equals(initial.classNames())) {
                LOG.warn("{} v{} on {} is {} with classes {}; resuming from it, not from the given {} with {}", model.name(), model.version(),
                        settings.weightsTopic(), model.network().spec(), model.classNames(), initial.network().spec(), initial.classNames());
            }
        } else {
            model = initial;
            championVersion = config.initialTrained() ? OptionalLong.of(initial.version()) : OptionalLong.empty();
        }
        metrics.resumedAt(championVersion.orElse(0));
        learner = new OnlineLearner(model, pool, settings, listener::stepped);
        metrics.bind(learner);
        metrics.learningRate(settings.recipe().learningRate());
        frames = new LabelledFrames(model);
        partitions = consumer.partitionsFor(settings.labelledTopic(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + settings.labelledTopic() + " does not exist on " + config.client().get("bootstrap.servers")
                    + "; create it with framestream topics create");
        }
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(30));
        int readBack = ReadBack.refill(consumer, partitions, committed, settings.replayCapacity(), frames, learner);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        rangeStart = Lineage.continuing(published.latestValid(), positions());
        stepsAtCheckpoint = learner.steps();
        LOG.info("training {} from {} (next version {}), reading {} from {}; {} records read back into the replay buffer and hold-out",
                config.modelName(), championVersion.isPresent() ? "v" + championVersion.getAsLong() : "fresh weights", highestVersion + 1,
                settings.labelledTopic(), rangeStart, readBack);
        listener.resumed(championVersion.orElse(0), highestVersion, readBack);
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    take(record);
                }
                learner.train(records.isEmpty());
                long now = System.nanoTime();
                boolean stepsDue = learner.steps() - stepsAtCheckpoint >= settings.publishEverySteps();
                boolean timeDue = now - lastCheckpoint >= settings.publishEvery().toNanos()
                        && (consumedSinceCheckpoint > 0 || learner.steps() > stepsAtCheckpoint);
                if (stepsDue || timeDue) {
                    checkpoint();
                } else if (now - lastProgress >= settings.progressEvery().toNanos() && learner.steps() != stepsAtProgress) {
                    progress();
                }
            }
            if (consumedSinceCheckpoint > 0 || learner.steps() > stepsAtCheckpoint) {
                checkpoint();
            }
        } catch (ProducerFencedException e) {
            fail(new IllegalStateException("another trainer of " + config.modelName() + " started (transactional id "
                    + TrainerClients.transactionalId(config) + ") and took over; this one stops without publishing", e));
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            closeClients();
            stopped.countDown();
        }
    }

    private void fail(Throwable error) {
        LOG.error("the online trainer stopped: {}. A restarted trainer resumes from v{} and the offsets committed with it",
                error.getMessage(), championVersion.orElse(0), error);
        failure.compareAndSet(null, error);
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        consumedSinceCheckpoint++;
        DeadLetters.Origin origin = origin(record);
        switch (frames.read(record.value(), origin)) {
            case LabelledFrames.Usable usable -> metrics.frameIn(learner.offer(usable.example()));
            case LabelledFrames.Refused refused -> {
                metrics.frameIn(false);
                deadLetter(record, origin, refused.problem());
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetters.Origin origin, FrameChecks.Problem problem) {
        metrics.deadLettered(problem.reason());
        if (reasonsSeen.add(problem.reason())) {
            LOG.warn("dead letter ({}): {} (further {} records are logged at debug level)", problem.reason(), problem.message(), problem.reason());
        } else {
            LOG.debug("dead letter ({}): {}", problem.reason(), problem.message());
        }
        DeadLetter letter = DeadLetters.of(TrainerMetrics.SERVICE, origin, problem.reason(), problem.message(), record.key(), record.value(),
                Instant.now());
        begin();
        transactional.send(new ProducerRecord<>(settings.deadLetterTopic(), record.key(), DEAD_LETTERS.encode(letter)));
    }

    /**
     * Trains on what is queued, judges the challenger, and commits one transaction: the offsets
     * consumed, the dead letters sent since the last checkpoint, and the challenger if it passed.
     * The learner hears the outcome only once the transaction is committed.
     */
    private void checkpoint() {
        long began = System.nanoTime();
        learner.train(true);     // every record behind the offsets committed below is trained on
        OnlineLearner.Judgement judgement = null;
        Checkpoint.Outcome outcome = Checkpoint.Outcome.NOTHING_NEW;
        long version = championVersion.orElse(0);
        Map<TopicPartition, Long> positions = positions();
        begin();
        if (learner.stepsSinceChampion() > 0) {
            judgement = learner.judge();
            if (judgement.passes()) {
                outcome = Checkpoint.Outcome.PUBLISHED;
                version = highestVersion + 1;
                transactional.send(weightsRecord(ModelFile.encode(candidate(version, judgement, positions))));
            } else {
                outcome = Checkpoint.Outcome.REJECTED;
            }
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        positions.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        transactional.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        transactional.commitTransaction();
        inTransaction = false;
        boolean reverted = false;
        switch (outcome) {
            case PUBLISHED -> {
                learner.promote();
                highestVersion = version;
                championVersion = OptionalLong.of(version);
                rangeStart = positions;
                metrics.published(version);
                LOG.info("published {} v{}: {}", config.modelName(), version, judgement.why());
            }
            case REJECTED -> {
                metrics.rejected();
                reverted = learner.reject();
                LOG.info("kept v{}: the challenger was not published: {}", championVersion.orElse(0), judgement.why());
            }
            case NOTHING_NEW -> {
            }
        }
        Checkpoint checkpoint = new Checkpoint(outcome, version, learner.steps(), consumedSinceCheckpoint, judgement, reverted);
        consumedSinceCheckpoint = 0;
        stepsAtCheckpoint = learner.steps();
        lastCheckpoint = System.nanoTime();
        metrics.checkpointTime().record(lastCheckpoint - began, TimeUnit.NANOSECONDS);
        listener.checkpointed(checkpoint);
        progress();
    }

    /** A version for the weights topic, signed when the trainer has a signing key. */
    private ProducerRecord<byte[], byte[]> weightsRecord(byte[] value) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(settings.weightsTopic(), modelKey, value);
        if (config.signingKey() != null) {
            record.headers().add(WeightsTopic.SIGNATURE_HEADER, WeightsSigning.sign(config.signingKey(), value));
        }
        return record;
    }

    /** The challenger as the next version: its parent is the champion, its offset ranges what was consumed since the champion. */
    private Model candidate(long version, OnlineLearner.Judgement judgement, Map<TopicPartition, Long> positions) {
        List<OffsetRange> ranges = Lineage.since(rangeStart, positions);
        double validationLoss = judgement.challenger() == null ? Double.NaN : judgement.challenger().loss();
        double validationAccuracy = judgement.challenger() == null ? Double.NaN : judgement.challenger().accuracy();
        TrainingSummary summary = new TrainingSummary(learner.examplesSeen(), 0, learner.recentLoss(), learner.prequentialAccuracy(),
                validationLoss, validationAccuracy, "kafka " + settings.labelledTopic(), settings.recipe().toString(), ranges);
        return new Model(config.modelName(), version, championVersion, Instant.now(), learner.network(), model.classNames(),
                model.preprocessing(), summary);
    }

    private void begin() {
        if (!inTransaction) {
            transactional.beginTransaction();
            inTransaction = true;
        }
    }

    /** A progress report; between checkpoints only when steps were taken since the last, so an idle trainer stays quiet. */
    private void progress() {
        lastProgress = System.nanoTime();
        stepsAtProgress = learner.steps();
        TrainingProgress progress = ProgressRecords.of(config.modelName(), learner, settings.recipe().learningRate(), championVersion);
        progressProducer.send(new ProducerRecord<>(settings.progressTopic(), modelKey, PROGRESS.encode(progress)), (metadata, error) -> {
            if (error != null) {
                LOG.warn("could not send progress to {}: {}", settings.progressTopic(), error.toString());
            }
        });
        listener.progress(progress);
    }

    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            positions.put(partition, consumer.position(partition));
        }
        return positions;
    }

    private static DeadLetters.Origin origin(ConsumerRecord<?, ?> record) {
        return new DeadLetters.Origin(record.topic(), record.partition(), record.offset());
    }

    /** The latest version published or resumed from, 0 for none. */
    public long championVersion() {
        return championVersion.orElse(0);
    }

    /** Blocks until the trainer stops (after {@link #close()}, or by itself on a fatal error) and returns the error, or null. */
    public Throwable awaitStopped(Duration timeout) throws InterruptedException {
        stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return failure.get();
    }

    /** Stops after a last checkpoint, so the steps since the last one are judged and their offsets committed. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread.isAlive()) {
            thread.join();
        }
    }

    private void closeClients() {
        try {
            if (inTransaction) {
                transactional.abortTransaction();
            }
        } catch (RuntimeException e) {
            LOG.debug("could not abort the open transaction: {}", e.toString());
        }
        consumer.close(Duration.ofSeconds(5));
        transactional.close(Duration.ofSeconds(5));
        progressProducer.close(Duration.ofSeconds(5));
        pool.close();
    }
}
