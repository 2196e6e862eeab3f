package dev.framestream.classifier.batching;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.TopicNames;

/**
 * A {@link FrameFetcher} that reads the records with a consumer of its own, without a group: per
 * partition it seeks to the first wanted offset and reads up to the last. One consumer, made at the
 * first restore, serves every later one: a restart restores all its tasks one after another, and a
 * new consumer for each would hold each task back by the time a client takes to connect.
 */
public final class TopicFrameFetcher implements FrameFetcher, AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Map<String, Object> client;
    private KafkaConsumer<byte[], byte[]> consumer;     // guarded by this

    /** @param client Kafka client settings (bootstrap servers, security) */
    public TopicFrameFetcher(Map<String, Object> client) {
        this.client = Map.copyOf(client);
    }

    @Override
    public synchronized Map<DeadLetters.Origin, byte[]> fetch(Collection<DeadLetters.Origin> origins) {
        Map<TopicPartition, TreeMap<Long, DeadLetters.Origin>> wanted = new HashMap<>();
        for (DeadLetters.Origin origin : origins) {
            wanted.computeIfAbsent(new TopicPartition(origin.topic(), origin.partition()), p -> new TreeMap<>()).put(origin.offset(), origin);
        }
        if (consumer == null) {
            consumer = new KafkaConsumer<>(settings(client), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        Map<DeadLetters.Origin, byte[]> found = new HashMap<>();
        try {
            consumer.assign(wanted.keySet());
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(wanted.keySet());
            Map<TopicPartition, Long> ends = consumer.endOffsets(wanted.keySet());
            Map<TopicPartition, Long> last = new HashMap<>();
            for (var entry : wanted.entrySet()) {
                // Records below the log start are gone; seeking there would jump to the start anyway.
                consumer.seek(entry.getKey(), Math.max(entry.getValue().firstKey(), beginnings.get(entry.getKey())));
                last.put(entry.getKey(), Math.min(entry.getValue().lastKey(), ends.get(entry.getKey()) - 1));
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!last.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    DeadLetters.Origin origin = wanted.get(partition).get(record.offset());
                    if (origin != null) {
                        found.put(origin, record.value());
                    }
                }
                last.entrySet().removeIf(entry -> consumer.position(entry.getKey()) > entry.getValue());
            }
        } finally {
            consumer.assign(List.of());     // nothing assigned between restores, so nothing is fetched ahead
        }
        return found;
    }

    /** Closes the consumer, if a restore made one. */
    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }

    private static Map<String, Object> settings(Map<String, Object> client) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicNames.MAX_FRAME_BYTES);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return settings;
    }
}
