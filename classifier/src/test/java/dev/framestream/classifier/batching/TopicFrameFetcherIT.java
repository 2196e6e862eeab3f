package dev.framestream.classifier.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.schemas.DeadLetters;

/** One fetcher serves restore after restore on a real broker: its consumer, kept between them, reads each one right. */
class TopicFrameFetcherIT {
    @Test
    void readsBackTheWantedRecordsAgainAndAgainWithOneConsumer() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(new NewTopic("fetched", 2, (short) 1))).all().get();
            }
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("fetched", i % 2, null, bytes(i))).get();
                }
            }
            try (TopicFrameFetcher fetcher = new TopicFrameFetcher(client)) {
                // Partition 0 holds 0, 2, 4, 6, 8 at offsets 0..4; partition 1 holds 1, 3, 5, 7, 9.
                DeadLetters.Origin first = new DeadLetters.Origin("fetched", 0, 3);
                DeadLetters.Origin second = new DeadLetters.Origin("fetched", 1, 1);
                DeadLetters.Origin earlier = new DeadLetters.Origin("fetched", 0, 1);

                Map<DeadLetters.Origin, byte[]> once = fetcher.fetch(List.of(first, second));
                Map<DeadLetters.Origin, byte[]> again = fetcher.fetch(List.of(earlier));

                assertEquals(2, once.size());
                assertArrayEquals(bytes(6), once.get(first));
                assertArrayEquals(bytes(3), once.get(second));
                assertEquals(1, again.size(), "a later restore behind the earlier one's position still finds its record");
                assertArrayEquals(bytes(2), again.get(earlier));
            }
        }
    }

    private static byte[] bytes(int i) {
        return ("frame " + i).getBytes(StandardCharsets.UTF_8);
    }
}
