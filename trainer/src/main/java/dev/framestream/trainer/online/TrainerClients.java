package dev.framestream.trainer.online;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import dev.framestream.schemas.TopicNames;
import dev.framestream.schemas.WeightsTopic;

/** The online trainer's Kafka client settings: its ids, the transactional producer, the progress producer, the consumer. */
final class TrainerClients {

    private TrainerClients() {
    }

    static String transactionalId(OnlineTrainerConfig config) {
        return "framestream-trainer-" + config.modelName();
    }

    static String groupId(OnlineTrainerConfig config) {
        return "framestream-trainer-" + config.modelName();
    }

    static Map<String, Object> transactional(OnlineTrainerConfig config) {
        Map<String, Object> settings = new HashMap<>(config.client());
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(config));
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, WeightsTopic.MAX_RECORD_BYTES);
        // Dead letters wait in the open transaction until the next checkpoint, at most publishEvery away.
        settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                (int) Math.min(Duration.ofMinutes(15).toMillis(), config.settings().publishEvery().toMillis() + 60_000));
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "framestream-trainer");
        return settings;
    }

    static Map<String, Object> progress(Map<String, Object> client) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "framestream-trainer-progress");
        return settings;
    }

    static Map<String, Object> consumer(OnlineTrainerConfig config) {
        Map<String, Object> settings = new HashMap<>(config.client());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(config));
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicNames.MAX_FRAME_BYTES);
        settings.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 256);
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "framestream-trainer");
        return settings;
    }
}
