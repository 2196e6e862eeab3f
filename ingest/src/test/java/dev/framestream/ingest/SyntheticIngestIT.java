package dev.framestream.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.CameraIngest;
import dev.framestream.ingest.shaping.Shaping;
import dev.framestream.ingest.sources.SourceFrame;
import dev.framestream.ingest.sources.SyntheticCamera;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.TopicNames;

/** The synthetic camera through the publisher into a real broker: every frame once, in order, with its pixels and label. */
class SyntheticIngestIT {
    private static final long START = 1_763_800_000_000L;

    private static SyntheticCamera camera() {
        return new SyntheticCamera(40, 32, 30, 10, START, 5);
    }

    @Test
    void everyFrameArrivesOnceInOrderWithItsPixelsAndEveryThirdLabelledOneToo() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics.create(admin, 2, (short) 1);
            long read;
            try (FramePublisher publisher = new FramePublisher(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    TopicNames.FRAMES, TopicNames.FRAMES_LABELLED)) {
                CameraSettings everyThird = new CameraSettings(Shaping.none(), 0, 0, false, 3);
                read = new CameraIngest("synthetic-1", publisher, everyThird).run(camera(), -1, n -> { }).read();
                publisher.flush();
                assertEquals(30 + 10, publisher.acknowledged());
            }
            assertEquals(30, read);

            List<Frame> frames = consume(broker, TopicNames.FRAMES, 30);
            SyntheticCamera again = camera();
            for (int i = 0; i < 30; i++) {
                Frame frame = frames.get(i);
                SourceFrame expected = again.next().orElseThrow();
                assertEquals("synthetic-1", frame.getCameraId());
                assertEquals(i, frame.getSequence(), "per-camera order");
                assertEquals(START + i * 100L, frame.getCaptureTime().toEpochMilli());
                assertEquals(expected.truth(), frame.getTruth());
                assertEquals(40, frame.getWidth());
                assertEquals(3, frame.getChannels());
                assertArrayEquals(expected.image().pixels(), bytes(frame.getPixels()), "pixels of frame " + i);
            }
            List<Frame> labelled = consume(broker, TopicNames.FRAMES_LABELLED, 10);
            for (int i = 0; i < 10; i++) {
                assertEquals(3L * i, labelled.get(i).getSequence());
            }
        }
    }

    @Test
    void pacingAndShapingPublishEveryFifthFrameResizedToGreyWithSequenceGaps() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics.create(admin, 1, (short) 1);
            CameraSettings settings = new CameraSettings(
                    new Shaping(null, Shaping.parseSize("28x28"), dev.framestream.media.PixelFormat.GRAY8), 2, 0, false, 0);
            CameraIngest.Report report;
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (FramePublisher publisher = new FramePublisher(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    TopicNames.FRAMES, TopicNames.FRAMES_LABELLED)) {
                report = new CameraIngest("paced", publisher, settings, new IngestMetrics(registry, "paced")).run(camera(), -1, n -> { });
            }
            assertEquals(new CameraIngest.Report(30, 6, 24, 0, 0), report, "10 fps sampled down to 2");
            assertEquals(30, registry.get("framestream.ingest.frames.read").tag("camera", "paced").counter().count());
            assertEquals(24, registry.get("framestream.ingest.frames.skipped").tag("reason", "pacing").counter().count());
            assertEquals(6, registry.get("framestream.ingest.records.acknowledged").counter().count());
            assertEquals(6, registry.get("framestream.ingest.publish.latency").timer().count());
            List<Frame> frames = consume(broker, TopicNames.FRAMES, 6);
            for (int i = 0; i < 6; i++) {
                assertEquals(5L * i, frames.get(i).getSequence(), "skipped frames leave gaps in the sequence");
                assertEquals(28, frames.get(i).getWidth());
                assertEquals(1, frames.get(i).getChannels());
                assertEquals(28 * 28, frames.get(i).getPixels().remaining());
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static List<Frame> consume(EmbeddedBroker broker, String topic, int expected) {
        try (KafkaConsumer<String, Frame> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicNames.MAX_FRAME_BYTES),
                new StringDeserializer(), AvroSerde.frame().deserializer())) {
            consumer.subscribe(List.of(topic));
            List<Frame> frames = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // A single camera's frames share one key, so one partition: reading it keeps their order.
            while (frames.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Frame> record : consumer.poll(Duration.ofMillis(200))) {
                    frames.add(record.value());
                }
            }
            assertEquals(expected, frames.size(), "frames on " + topic);
            return frames;
        }
    }
}
