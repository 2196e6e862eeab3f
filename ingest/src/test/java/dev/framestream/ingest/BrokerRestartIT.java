package dev.framestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.CameraIngest;
import dev.framestream.ingest.sources.SyntheticCamera;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.TopicNames;

/**
 * The broker goes away in the middle of ingest and comes back on the same port and data: ingest
 * keeps retrying (the idempotent producer), and every frame it reports as acknowledged is on the
 * topic exactly once.
 */
class BrokerRestartIT {
    private static final int FRAMES = 600;

    @Test
    void ingestRidesOutABrokerRestartAndEveryAcknowledgedFrameArrivesOnce(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path data = dir.resolve("kafka");
        EmbeddedBroker broker = EmbeddedBroker.start(data, port);
        try {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                Topics.create(admin, 2, (short) 1);
            }
            AtomicLong read = new AtomicLong();
            long acknowledged;
            try (FramePublisher publisher = new FramePublisher(client, TopicNames.FRAMES, TopicNames.FRAMES_LABELLED)) {
                Thread ingest = Thread.ofPlatform().name("restart-ingest").start(() -> {
                    try (SyntheticCamera camera = new SyntheticCamera(32, 32, FRAMES, 60, System.currentTimeMillis(), 4)) {
                        CameraSettings realtime = new CameraSettings(CameraSettings.plain().shaping(), 0, 0, true, 1);
                        read.set(new CameraIngest("door", publisher, realtime).run(camera, -1, n -> { }).read());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Thread.sleep(3000);
                broker.close();
                long whileDown = System.nanoTime();
                Thread.sleep(3000);
                broker = EmbeddedBroker.start(data, port);
                assertTrue(ingest.isAlive(), "ingest was still publishing when the broker came back, "
                        + (System.nanoTime() - whileDown) / 1_000_000 + " ms after it went away");
                ingest.join();
                publisher.flush();
                acknowledged = publisher.acknowledged();
                assertEquals(0, publisher.failed(), "no record given up: the producer retried until the broker was back");
            }
            assertEquals(FRAMES, read.get());
            assertEquals(2L * FRAMES, acknowledged, "every frame, on frames and on frames.labelled, acknowledged");

            Map<Long, Integer> copies = new TreeMap<>();
            try (KafkaConsumer<String, Frame> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "restart-check",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), AvroSerde.frame().deserializer())) {
                consumer.subscribe(List.of(TopicNames.FRAMES));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (copies.size() < FRAMES && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> copies.merge(r.value().getSequence(), 1, Integer::sum));
                }
                consumer.poll(Duration.ofSeconds(1)).forEach(r -> copies.merge(r.value().getSequence(), 1, Integer::sum));
            }
            assertEquals(FRAMES, copies.size(), "every frame arrived");
            assertTrue(copies.values().stream().allMatch(n -> n == 1), "none twice: " + copies.entrySet().stream()
                    .filter(e -> e.getValue() > 1).limit(5).toList());
        } finally {
            broker.close();
        }
    }
}
