package dev.framestream.schemas;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How every service reads the weights topic: committed versions only, by assignment (no consumer
 * group, nothing committed back), with fetches large enough for the largest model record.
 */
public final class WeightsTopic {
    /** The largest weights record the topic takes (64 MB, see the broker's Topics), plus headroom. */
    public static final int MAX_RECORD_BYTES = 65 * 1024 * 1024;
    /** The record header holding the trainer's Ed25519 signature of the record's value, when it signs. */
    public static final String SIGNATURE_HEADER = "framestream.signature";

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
}
