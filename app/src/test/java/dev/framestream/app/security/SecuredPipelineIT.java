package dev.framestream.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.framestream.app.cli.FailingRun;
import dev.framestream.app.cli.FramestreamCommand;
import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.classifier.streams.ClassifierConfig;
import dev.framestream.classifier.streams.ClassifierService;
import dev.framestream.engine.Network;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.TopicNames;

/**
 * The pipeline over a secured listener, as on a production cluster: the embedded broker serves
 * clients on SASL_SSL only (a certificate made here with the JDK's keytool, SASL/PLAIN users), and
 * topics, ingest and the classifier get TLS and SASL from the client properties file alone.
 */
class SecuredPipelineIT {
    private static final String STORE_PASSWORD = "store-secret";

    @Test
    void topicsIngestAndTheClassifierWorkOverTlsWithSaslFromTheClientPropertiesFile(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        Path certificate = dir.resolve("broker.crt");
        keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD, "-rfc", "-file",
                certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-keystore", trustStore.toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);

        try (EmbeddedBroker broker = EmbeddedBroker.start(null, 0,
                new EmbeddedBroker.SecureListener(keyStore, STORE_PASSWORD, Map.of("framestream", "pipeline-secret")))) {
            Path clientConfig = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                    "security.protocol=SASL_SSL",
                    "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"framestream\""
                            + " password=\"pipeline-secret\";",
                    "ssl.truststore.location=" + trustStore,
                    "ssl.truststore.type=PKCS12",
                    "ssl.truststore.password=" + STORE_PASSWORD, ""));
            String bootstrap = broker.bootstrapServers();
            assertEquals(0, FramestreamCommand.commandLine().execute("topics", "create", "--bootstrap", bootstrap, "--client-config",
                    clientConfig.toString(), "--partitions", "2"));
            assertEquals(0, FramestreamCommand.commandLine().execute("ingest", "--bootstrap", bootstrap, "--client-config", clientConfig.toString(),
                    "--source", "synthetic", "--count", "60", "--camera-id", "secured", "--labelled-every", "0"));

            Path wrong = Files.writeString(dir.resolve("wrong.properties"), Files.readString(clientConfig).replace("pipeline-secret", "guess"));
            String refused = FailingRun.stderr("topics", "create", "--bootstrap", bootstrap, "--client-config", wrong.toString());
            assertTrue(refused.toLowerCase().contains("authentication"), "a wrong password is refused by SASL: " + refused);

            Map<String, Object> client = properties(clientConfig);
            client.put("bootstrap.servers", bootstrap);
            Path model = dir.resolve("random.fsm");
            Network network = Network.build("DIGITS");
            network.initialise(1);
            ModelFile.save(Model.untrained("secured", network, Model.numberedClasses(10), 0), model);
            ClassifierSettings settings = new ClassifierSettings(TopicNames.FRAMES, TopicNames.CLASSIFICATIONS, TopicNames.DEAD_LETTERS, 16,
                    Duration.ofMillis(20), 3, false);
            ClassifierConfig config = ClassifierConfig.builder(client, settings).applicationId("secured-classifier")
                    .modelFile(model).engineThreads(2).commitInterval(Duration.ofMillis(100)).stateDir(dir.resolve("state")).build();
            try (ClassifierService classifier = ClassifierService.start(config, new SimpleMeterRegistry())) {
                List<Classification> results = read(client, 60);
                assertEquals(60, results.size(), "every frame classified over SASL_SSL");
                assertEquals(IntStream.range(0, 60).mapToObj(Long::valueOf).toList(),
                        results.stream().map(Classification::getSequence).sorted().toList());
            }
        }
    }

    private static List<Classification> read(Map<String, Object> client, int expected) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "secured-reader");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Classification> results = new ArrayList<>();
        try (KafkaConsumer<String, Classification> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                AvroSerde.classification().deserializer())) {
            consumer.subscribe(List.of(TopicNames.CLASSIFICATIONS));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (results.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> results.add(r.value()));
            }
        }
        return results;
    }

    private static Map<String, Object> properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, Object> map = new HashMap<>();
        properties.forEach((key, value) -> map.put(key.toString(), value));
        return map;
    }

    /** The JDK's keytool, so the certificates need nothing but the JDK running the test. */
    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "keytool " + String.join(" ", args) + ": " + output);
    }
}
