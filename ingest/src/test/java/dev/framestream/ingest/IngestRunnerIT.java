package dev.framestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.IngestRunner;
import dev.framestream.schemas.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Two cameras at once, one of them broken: the broken one is retried and given up, the other publishes all its frames. */
class IngestRunnerIT {

    @Test
    void aFailingCameraIsRetriedWithBackoffWithoutStoppingTheOthers() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics.create(admin, 2, (short) 1);
            CameraConfig good = CameraConfig.builder("good", "synthetic").count(40).build();
            CameraConfig broken = CameraConfig.defaults("broken", "/no/such/recording.mp4");
            List<IngestRunner.CameraResult> results;
            try (FramePublisher publisher = new FramePublisher(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    TopicNames.FRAMES, TopicNames.FRAMES_LABELLED)) {
                IngestRunner runner = new IngestRunner(publisher, new SimpleMeterRegistry(), Duration.ofMillis(10), Duration.ofMillis(40), 3);
                results = runner.run(List.of(good, broken), (camera, read, total) -> { });
                publisher.flush();
                assertEquals(80, publisher.acknowledged(), "40 frames, each also labelled");
            }
            IngestRunner.CameraResult goodResult = results.get(0);
            assertEquals(40, goodResult.report().read());
            assertNull(goodResult.lastError());
            IngestRunner.CameraResult brokenResult = results.get(1);
            assertEquals(0, brokenResult.report().read());
            assertEquals(3, brokenResult.restarts());
            assertTrue(brokenResult.lastError().contains("/no/such/recording.mp4"), brokenResult.lastError());
        }
    }
}
