package dev.framestream.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.bench.ServiceProcess;
import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;

/**
 * A service stopped the way a supervisor stops it (SIGTERM: systemd, Kubernetes, compose) finishes
 * its work and exits 0, so the supervisor counts a clean stop as one and not as a crash.
 */
class CleanStopIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Topics.create(admin, 2, (short) 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void theClassifierExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        String log = stopped(dir, "classifying", "classify", "--bootstrap", broker.bootstrapServers(), "--state-dir", dir.resolve("state").toString());
        assertTrue(log.contains("-> PENDING_SHUTDOWN"), "it closed Kafka Streams on the way out:\n" + log);
    }

    @Test
    void theOnlineTrainerExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        String log = stopped(dir, "Ctrl-C stops after a last checkpoint", "train", "--online", "--bootstrap", broker.bootstrapServers(),
                "--net", "DIGITS", "--name", "clean-stop", "--threads", "1");
        assertTrue(log.contains("stopped at v"), "it said where it stopped:\n" + log);
    }

    @Test
    void ingestExitsZeroOnSigtermWithItsSummary(@TempDir Path dir) throws Exception {
        String log = stopped(dir, "ingest", "ingest", "--bootstrap", broker.bootstrapServers(), "--source", "synthetic", "--count", "-1",
                "--capture-fps", "50", "--realtime");
        assertTrue(log.contains("acknowledged by " + broker.bootstrapServers()), "the summary of what it published:\n" + log);
    }

    @Test
    void theBrokerExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        stopped(dir, "Ctrl-C stops it.", "broker", "--port", "0");
    }

    /** Runs the command as its own process until it printed {@code ready}, SIGTERMs it and expects exit code 0; returns its output. */
    private static String stopped(Path dir, String ready, String... args) throws Exception {
        Path log = dir.resolve("service.log");
        try (ServiceProcess service = new ServiceProcess(FramestreamCommand.class, List.of(args), log)) {
            service.start();
            assertTrue(service.awaitOutput(ready, PATIENCE), "it started:\n" + Files.readString(log));
            Thread.sleep(1000);      // at work, not in its first steps
            assertEquals(0, service.terminate(PATIENCE), "exit code after SIGTERM:\n" + Files.readString(log));
        }
        return Files.readString(log);
    }
}
