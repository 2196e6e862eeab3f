package dev.framestream.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;

/**
 * The packaged app (app/target/framestream.jar and the jars its manifest names, what the launcher
 * and the Docker image run), not the test class path: a dependency missing at runtime shows here.
 */
class PackagedAppIT {

    @Test
    void thePackagedJarIngestsFromACamerasFile(@TempDir Path dir) throws Exception {
        Path jar = Repository.root().resolve("app/target/framestream.jar");
        assertTrue(Files.exists(jar), "failsafe runs after package: " + jar);
        Path cameras = Files.writeString(dir.resolve("cameras.yml"), String.join("\n", "cameras:",
                "  - id: packaged-1", "    source: synthetic", "    count: 5",
                "  - id: packaged-2", "    source: synthetic", "    count: 5", ""));
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                Topics.create(admin, 1, (short) 1);
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                    "ingest", "--bootstrap", broker.bootstrapServers(), "--cameras", cameras.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("10 frames acknowledged by " + broker.bootstrapServers() + " (20 records with their labelled copies)"),
                    "5 frames of 2 cameras, each to frames and frames.labelled:\n" + output);
        }
    }
}
