package dev.framestream.app.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import dev.framestream.app.logging.LogFile;
import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.cli.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code framestream broker}: a real single-node Kafka on 127.0.0.1 with the framestream topics, until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Start a single-node Kafka broker on 127.0.0.1 with the framestream topics.",
                "",
                "A real Kafka (KRaft, from the Kafka jars): any client can use it (kcat, the services with --bootstrap).",
                "Runs until Ctrl-C.",
                "",
                "Example: framestream broker --port 9092 --data-dir /var/lib/framestream/kafka"})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:FRAMESTREAM_PORT:-9092}",
            description = "Client port on 127.0.0.1; 0 = any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:FRAMESTREAM_DATA_DIR}",
            description = "Keep the broker's data here across restarts (default: a temporary directory, deleted on exit).")
    private Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_PARTITIONS:-3}",
            description = "Partitions of the frame and result topics (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Override
    public Integer call() throws Exception {
        try (StopSignal stop = StopSignal.install("broker", Duration.ofSeconds(30)); EmbeddedBroker broker = EmbeddedBroker.start(dataDir, port)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                List<String> created = Topics.create(admin, partitions, (short) 1);
                System.out.printf("Kafka broker on %s, data in %s%s%n", broker.bootstrapServers(), broker.dataDir(),
                        dataDir == null ? " (temporary)" : "");
                System.out.printf("topics: %s%n", created.isEmpty() ? "all existed already" : "created " + String.join(", ", created));
                LogFile.startLine().ifPresent(System.out::println);
                System.out.println("Ctrl-C stops it.");
            }
            while (!stop.await(1, TimeUnit.HOURS)) {
                // runs until Ctrl-C or SIGTERM
            }
            System.out.println("stopping the broker");
        }
        return 0;
    }
}
