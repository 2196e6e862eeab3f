package dev.framestream.app.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;

import picocli.CommandLine.Option;

/**
 * How every service reaches Kafka: {@code --bootstrap} for the servers and {@code --client-config}
 * for everything else a Kafka client takes (TLS, SASL, timeouts), so a service runs against any
 * cluster, not only the embedded one.
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]", defaultValue = "${env:FRAMESTREAM_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--client-config", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_CLIENT_CONFIG}",
            description = "A Kafka client properties file for everything else: security.protocol, ssl.*, sasl.* ...")
    Path clientConfig;

    /** The client settings: the file's, then {@code bootstrap.servers} from {@code --bootstrap}. */
    public Map<String, Object> clientProperties() throws IOException {
        Map<String, Object> settings = new HashMap<>();
        if (clientConfig != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(clientConfig)) {
                file.load(reader);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(clientConfig.toString(), null, "no client properties file there (--client-config)");
            }
            file.forEach((key, value) -> settings.put(key.toString(), value));
        }
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return settings;
    }
}
