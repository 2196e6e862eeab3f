package dev.framestream.app.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.app.cli.FramestreamCommand;
import dev.framestream.broker.EmbeddedBroker;
import picocli.CommandLine;

/** {@code framestream topics create} against a real broker, as against any external cluster. */
class TopicsCommandIT {

    @Test
    void createsTheTopicsThroughTheCommandLineAndAgainHarmlessly(@TempDir Path dir) throws Exception {
        Path clientConfig = Files.writeString(dir.resolve("client.properties"), "security.protocol=PLAINTEXT\nclient.id=topics-it\n");
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            String[] args = {"topics", "create", "--bootstrap", broker.bootstrapServers(), "--client-config", clientConfig.toString(),
                    "--partitions", "2"};
            assertEquals(0, FramestreamCommand.commandLine().execute(args));
            assertEquals(0, FramestreamCommand.commandLine().execute(args), "a second run succeeds and changes nothing");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertTrue(admin.listTopics().names().get().containsAll(Set.of("frames", "frames.labelled", "classifications",
                        "model.weights", "frames.dlq", "training.progress")));
                assertEquals(2, admin.describeTopics(Set.of("frames")).allTopicNames().get().get("frames").partitions().size());
            }
        }
    }

    @Test
    void aMissingClientConfigIsOneClearLine(@TempDir Path dir) {
        CommandLine commandLine = FramestreamCommand.commandLine();
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute("topics", "create", "--client-config", dir.resolve("missing.properties").toString());
        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("framestream topics create: ") && err.toString().contains("missing.properties")
                && !err.toString().contains("\tat "), err.toString());
    }
}
