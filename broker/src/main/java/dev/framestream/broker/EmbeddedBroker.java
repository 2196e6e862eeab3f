package dev.framestream.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import dev.framestream.schemas.TopicNames;

/**
 * A real single-node Kafka broker in this JVM: {@code KafkaRaftServer} from the Kafka jars in
 * KRaft mode, broker and controller in one node, listening on 127.0.0.1 only. The demo, the
 * integration tests and {@code framestream broker} all run this class, so whatever works against
 * it works against any Kafka cluster.
 *
 * <p>The data directory is a temporary one, deleted on {@link #close()}, unless a directory is
 * given: then it is formatted on first use (when it has no {@code meta.properties}) and kept, so a
 * restarted broker finds its topics and offsets again.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /*
     * Single-node settings that matter (docs/design.md): the internal topics need a replication factor
     * and min ISR of 1, or transactions and exactly_once_v2 never start; one partition each and no
     * initial rebalance delay make start-up quick. The controller port must be known before start,
     * since the quorum voters name it.
     */
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String CONTROLLER = "CONTROLLER";

    /**
     * A client listener secured the way production clusters are: TLS with the server key store
     * (PKCS12) and SASL/PLAIN with these users and passwords. The broker then keeps a plaintext
     * listener on another loopback port for itself (inter-broker traffic, its readiness check);
     * clients get the secured one.
     */
    public record SecureListener(Path keyStore, String keyStorePassword, Map<String, String> users) {
    }

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final int internalPort;

    private EmbeddedBroker(KafkaRaftServer server, Path dataDir, boolean temporary, int port, int internalPort) {
        this.server = server;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
        this.internalPort = internalPort;
    }

    /** A broker on a free port with a temporary data directory. */
    public static EmbeddedBroker start() {
        return start(null, 0);
    }

    /**
     * Starts a broker and returns once it answers a metadata request.
     *
     * @param dataDir where the logs live, kept after close; null for a temporary directory
     * @param port    the client port on 127.0.0.1; 0 for any free one
     */
    public static EmbeddedBroker start(Path dataDir, int port) {
        return start(dataDir, port, null);
    }

    /** As {@link #start(Path, int)}, with clients on a TLS + SASL listener when {@code secure} is given. */
    public static EmbeddedBroker start(Path dataDir, int port, SecureListener secure) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("framestream-broker-") : dataDir.toAbsolutePath();
            Files.createDirectories(dir);
            int[] free = freePorts(3, port);
            int clientPort = port == 0 ? free[0] : port;
            int controllerPort = free[1];
            int internalPort = secure == null ? clientPort : free[2];
            Properties props = properties(dir, clientPort, controllerPort);
            if (secure != null) {
                props.putAll(secured(clientPort, internalPort, controllerPort, secure));
            }
            if (!Files.exists(dir.resolve("meta.properties"))) {
                format(dir);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedBroker broker = new EmbeddedBroker(server, dir, temporary, clientPort, internalPort);
            broker.awaitReady(Duration.ofSeconds(60));
            LOG.info("Kafka broker ready on {} (data in {}{})", broker.bootstrapServers(), dir, temporary ? ", temporary" : "");
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the broker's data directory: " + e.getMessage(), e);
        }
    }

    private static Properties properties(Path dir, int clientPort, int controllerPort) {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + "," + CONTROLLER + "://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT"),
                Map.entry("controller.listener.names", CONTROLLER),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", dir.toString()),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Kafka's own floor is 6 s; the classifier's instances ask for less, so a dead one's partitions move sooner.
                Map.entry("group.min.session.timeout.ms", "1000"),
                // A dead producer's open transaction holds back its partitions' readers until the broker aborts it;
                // the broker looks for expired transactions every 10 s by default.
                Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"),
                // A transaction's first write to a partition waits this long for the previous transaction's markers
                // before the broker answers CONCURRENT_TRANSACTIONS (see docs/design.md, the OutOfOrderSequence error).
                Map.entry("add.partitions.to.txn.retry.backoff.max.ms", "1000"),
                // Topics come from Topics.create with their configs; a typo in a topic name should fail, not create one.
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("message.max.bytes", Integer.toString(TopicNames.MAX_FRAME_BYTES))));
        return props;
    }

    /** The listener settings that put clients on SASL_SSL and keep a plaintext listener for the broker itself. */
    private static Map<String, String> secured(int clientPort, int internalPort, int controllerPort, SecureListener secure) {
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        secure.users().forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        return Map.ofEntries(
                Map.entry("listeners", "INTERNAL://127.0.0.1:" + internalPort + ",CLIENT://127.0.0.1:" + clientPort + "," + CONTROLLER
                        + "://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "INTERNAL://127.0.0.1:" + internalPort + ",CLIENT://127.0.0.1:" + clientPort),
                Map.entry("listener.security.protocol.map", "INTERNAL:PLAINTEXT,CLIENT:SASL_SSL," + CONTROLLER + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "INTERNAL"),
                Map.entry("listener.name.client.ssl.keystore.location", secure.keyStore().toAbsolutePath().toString()),
                Map.entry("listener.name.client.ssl.keystore.password", secure.keyStorePassword()),
                Map.entry("listener.name.client.ssl.keystore.type", "PKCS12"),
                Map.entry("listener.name.client.sasl.enabled.mechanisms", "PLAIN"),
                Map.entry("listener.name.client.plain.sasl.jaas.config", jaas.append(';').toString()));
    }

    private static void format(Path dir) {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dir.toString()))
                .setMetadataLogDirectory(dir.toString())
                .setControllerListenerName(CONTROLLER)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.latestProduction());
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format the broker's data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("the embedded broker did not answer within " + timeout.toSeconds() + " s", e);
                    }
                }
            }
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Where the broker keeps its logs. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits for its threads (they are not daemons); deletes a temporary data directory. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (temporary) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                LOG.warn("could not delete the broker's temporary data directory {}: {}", dataDir, e.getMessage());
            }
        }
    }

    /**
     * {@code count} distinct free loopback ports, none of them {@code taken}. The sockets stay open
     * until all are chosen: one closed before the next is opened can be handed out again, and two
     * listeners on one port stop the broker from starting.
     */
    private static int[] freePorts(int count, int taken) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int found = 0; found < count; ) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                if (socket.getLocalPort() != taken) {
                    ports[found++] = socket.getLocalPort();
                }
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
