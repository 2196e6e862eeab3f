package dev.framestream.classifier.weights;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.WeightsTopic;

/**
 * Follows the compacted {@code model.weights} topic on a thread of its own, from the beginning,
 * and offers every record to the {@link ModelSwitch}: validation happens here, never on a stream
 * thread. It reads committed records only, so weights a trainer aborted never serve.
 *
 * <p>Rejections are logged and counted always; they are reported as dead letters only for records
 * that arrive while it runs. Records it reads again while catching up at start were reported when
 * they first arrived, so a restart does not repeat them.
 */
public final class WeightsFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeightsFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final ModelSwitch models;
    private final Consumer<DeadLetter> report;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;

    /**
     * @param client Kafka client settings (bootstrap servers, security)
     * @param report where dead letters for rejected versions go
     */
    public WeightsFollower(Map<String, Object> client, String topic, ModelSwitch models, Consumer<DeadLetter> report) {
        this.consumer = new KafkaConsumer<>(WeightsTopic.readerSettings(client, "framestream-classifier-weights"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.topic = topic;
        this.models = models;
        this.report = report;
        this.thread = Thread.ofPlatform().daemon().name("framestream-weights-follower").unstarted(this::run);
    }

    public WeightsFollower start() {
        started = true;
        thread.start();
        return this;
    }

    /** Waits until every record that was on the topic at start has been offered; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map((PartitionInfo p) -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> startEnd = consumer.endOffsets(partitions);
            LOG.info("following {} from the beginning ({} records there now)", topic,
                    startEnd.values().stream().mapToLong(Long::longValue).sum());
            while (running) {
                // Checked before each poll: an empty topic is caught up at once, not after a poll's wait.
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= startEnd.get(p))) {
                    caughtUp.countDown();
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    boolean live = record.offset() >= startEnd.get(new TopicPartition(record.topic(), record.partition()));
                    offer(record, live);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            LOG.error("stopped following {}: {}; the version serving now keeps serving", topic, e.toString(), e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void offer(ConsumerRecord<byte[], byte[]> record, boolean live) {
        if (record.value() == null) {
            return;     // a tombstone deletes a model's history from the topic; the version serving stays
        }
        DeadLetters.Origin origin = new DeadLetters.Origin(record.topic(), record.partition(), record.offset());
        Header signature = record.headers().lastHeader(WeightsTopic.SIGNATURE_HEADER);
        ModelSwitch.Result result = models.offer(record.value(), signature == null ? null : signature.value(), origin);
        switch (result) {
            case ModelSwitch.Result.Rejected rejected when live -> report.accept(DeadLetters.of(ClassifierMetrics.SERVICE, origin,
                    rejected.reason(), rejected.message(), record.key(), record.value(), Instant.now()));
            case ModelSwitch.Result.Ignored ignored -> LOG.debug("{} at {}", ignored.why(), origin);
            default -> {
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (!started) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        thread.join(10_000);
    }
}
