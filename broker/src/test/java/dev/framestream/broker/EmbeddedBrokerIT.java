package dev.framestream.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.schemas.TopicNames;

/** The real broker on 127.0.0.1: topics and their configs, a frame-sized record, a restart that keeps data. */
class EmbeddedBrokerIT {

    @Test
    void createsTheTopicsOnceWithTheirConfigsAndCarriesAFrameSizedRecord() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            List<String> created = Topics.create(admin, 3, (short) 1);
            assertEquals(Set.of(TopicNames.FRAMES, TopicNames.FRAMES_LABELLED, TopicNames.CLASSIFICATIONS, TopicNames.MODEL_WEIGHTS,
                    TopicNames.DEAD_LETTERS, TopicNames.TRAINING_PROGRESS), Set.copyOf(created));
            assertEquals(List.of(), Topics.create(admin, 3, (short) 1), "a second run creates nothing");
            assertEquals(3, admin.describeTopics(List.of(TopicNames.FRAMES)).allTopicNames().get().get(TopicNames.FRAMES).partitions().size());

            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, TopicNames.MODEL_WEIGHTS),
                    new ConfigResource(ConfigResource.Type.TOPIC, TopicNames.FRAMES))).all().get();
            assertEquals("compact", configs.get(new ConfigResource(ConfigResource.Type.TOPIC, TopicNames.MODEL_WEIGHTS)).get("cleanup.policy").value());
            assertEquals(Integer.toString(TopicNames.MAX_FRAME_BYTES),
                    configs.get(new ConfigResource(ConfigResource.Type.TOPIC, TopicNames.FRAMES)).get("max.message.bytes").value());

            byte[] fullHd = new byte[1920 * 1080 * 3];
            fullHd[fullHd.length - 1] = 42;
            send(broker, TopicNames.FRAMES, "door", fullHd);
            List<ConsumerRecord<String, byte[]>> read = readAll(broker, TopicNames.FRAMES, 1);
            assertEquals("door", read.get(0).key());
            assertEquals(fullHd.length, read.get(0).value().length);
            assertEquals(42, read.get(0).value()[fullHd.length - 1]);
        }
    }

    @Test
    void aBrokerRestartedOnItsDataDirectoryKeepsTopicsAndRecords(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, 0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics.create(admin, 1, (short) 1);
            send(broker, TopicNames.MODEL_WEIGHTS, "digits", new byte[] {1, 2, 3});
        }
        assertTrue(Files.exists(dir.resolve("meta.properties")), "the data directory is kept and formatted");
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, 0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertEquals(List.of(), Topics.create(admin, 1, (short) 1), "the topics survived the restart");
            List<ConsumerRecord<String, byte[]>> read = readAll(broker, TopicNames.MODEL_WEIGHTS, 1);
            assertEquals("digits", read.get(0).key());
        }
    }

    private static void send(EmbeddedBroker broker, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicNames.MAX_FRAME_BYTES,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedBroker broker, String topic, int expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicNames.MAX_FRAME_BYTES), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(expected, records.size(), "records read from " + topic);
            return records;
        }
    }
}
