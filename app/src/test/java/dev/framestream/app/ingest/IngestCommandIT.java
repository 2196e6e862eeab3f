package dev.framestream.app.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.framestream.app.cli.FramestreamCommand;
import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.TopicNames;
import picocli.CommandLine;

/** {@code framestream ingest} as a user runs it, against the real broker. */
class IngestCommandIT {

    @Test
    void publishesShapedSyntheticFramesAndRefusesABadFlagInOneLine() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics.create(admin, 1, (short) 1);
            int exit = FramestreamCommand.commandLine().execute("ingest", "--bootstrap", broker.bootstrapServers(), "--source", "synthetic",
                    "--count", "25", "--camera-id", "cli", "--resize", "32x24", "--pixel-format", "GRAY8", "--labelled-every", "0");
            assertEquals(0, exit);
            try (KafkaConsumer<String, Frame> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "cli-it",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), AvroSerde.frame().deserializer())) {
                consumer.subscribe(List.of(TopicNames.FRAMES));
                List<Frame> frames = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (frames.size() < 25 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> frames.add(r.value()));
                }
                assertEquals(25, frames.size());
                assertEquals(24, frames.get(24).getSequence());
                assertEquals(32, frames.get(0).getWidth());
                assertEquals(1, frames.get(0).getChannels());
            }

            CommandLine commandLine = FramestreamCommand.commandLine();
            StringWriter err = new StringWriter();
            commandLine.setErr(new PrintWriter(err));
            assertEquals(1, commandLine.execute("ingest", "--bootstrap", broker.bootstrapServers(), "--resize", "64"));
            assertTrue(err.toString().startsWith("framestream ingest: --resize takes WIDTHxHEIGHT"), err.toString());
        }
    }
}
