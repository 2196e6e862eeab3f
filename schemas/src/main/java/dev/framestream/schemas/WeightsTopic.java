package dev.framestream.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How every service reads the weights topic: committed versions only, by assignment (no consumer
 * group, nothing committed back), with fetches large enough for the largest model record.
 */
public final class WeightsTopic {
    /** The largest weights record the topic takes (64 MB, see the broker's Topics), plus headroom. */
    public static final int MAX_RECORD_BYTES = 65 * 1024 * 1024;
    /** The record header holding the trainer's Ed25519 signature of the record's value, when it signs. */
    public static final String SIGNATURE_HEADER = "framestream.signature";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private WeightsTopic() {
    }

    /** Consumer settings for reading the weights topic on top of the client's (bootstrap servers, security). */
    public static Map<String, Object> readerSettings(Map<String, Object> client, String clientId) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES);
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_RECORD_BYTES);
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return settings;
    }

    /**
     * Reads {@code topic} from its beginning to its end at the time of asking (committed records
     * only) and hands {@code visit} each record keyed by {@code modelName}, tombstones left out, in
     * offset order per partition: every version of the model the compacted topic still holds.
     *
     * @throws IllegalStateException when the topic does not exist or is not read to its end within 60 s
     */
    public static void readModel(Map<String, Object> client, String topic, String modelName, String clientId,
                                 Consumer<ConsumerRecord<byte[], byte[]>> visit) {
        byte[] key = modelName.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerSettings(client, clientId), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist on " + client.get("bootstrap.servers")
                        + "; create it with framestream topics create");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT.toSeconds()
                            + " s; is the broker up?");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && Arrays.equals(record.key(), key)) {
                        visit.accept(record);
                    }
                }
            }
        }
    }
}
