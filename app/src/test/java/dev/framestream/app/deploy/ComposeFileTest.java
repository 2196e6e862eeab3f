package dev.framestream.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.framestream.app.cli.FramestreamCommand;
import dev.framestream.cli.EnvironmentDefaults;
import dev.framestream.ingest.CamerasFile;
import picocli.CommandLine;

/**
 * docker-compose.yml and the Dockerfile, checked without Docker: the services and images are there
 * and pinned, the mounted files exist, Prometheus scrapes where the services serve metrics, and
 * every environment variable compose sets is one the service's command really reads.
 */
class ComposeFileTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");
    private static final Set<String> FRAMESTREAM_SERVICES = Set.of("topics", "ingest", "classifier", "trainer");
    private final Path root = Repository.root();
    private final JsonNode services = read(root.resolve("docker-compose.yml")).get("services");

    @Test
    void theStackHasEveryServiceOnPinnedImages() {
        Set<String> names = new HashSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("kafka", "topics", "ingest", "classifier", "trainer", "prometheus", "grafana"), names);
        services.fields().forEachRemaining(service -> {
            String image = service.getValue().path("image").asText();
            assertTrue(image.matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+") && !image.endsWith(":latest"), service.getKey() + " pins its image: " + image);
        });
        assertTrue(services.get("kafka").get("image").asText().startsWith("apache/kafka:"));
        assertEquals("broker,controller", services.get("kafka").get("environment").get("KAFKA_PROCESS_ROLES").asText(), "Kafka runs as KRaft");
        for (String name : FRAMESTREAM_SERVICES) {
            JsonNode service = services.get(name);
            assertEquals(".", service.get("build").asText(), name + " is built from the root Dockerfile");
            assertEquals("framestream:0.1.0", service.get("image").asText());
            assertEquals("kafka:9092", service.get("environment").get("FRAMESTREAM_BOOTSTRAP").asText(),
                    name + " reaches Kafka on its in-network listener (the default 127.0.0.1 would be its own container)");
        }
        assertEquals("service_completed_successfully", services.get("classifier").get("depends_on").get("topics").get("condition").asText());
        assertEquals("service_healthy", services.get("topics").get("depends_on").get("kafka").get("condition").asText());
    }

    @Test
    void everyEnvironmentVariableComposeSetsIsOneTheServiceReadsAndRequiredOnesAreGiven() {
        for (String name : FRAMESTREAM_SERVICES) {
            JsonNode service = services.get(name);
            List<String> command = new ArrayList<>();
            service.get("command").forEach(arg -> command.add(arg.asText()));
            CommandLine.Model.CommandSpec spec = subcommand(command);
            Set<String> read = new HashSet<>();
            for (CommandLine.Model.OptionSpec option : spec.options()) {
                if (EnvironmentDefaults.fallsBack(option)) {
                    read.add(EnvironmentDefaults.variable(option));     // a shared mixin's option: the command line's fallback
                }
                Matcher env = ENV.matcher(String.valueOf(option.defaultValue()));
                while (env.find()) {
                    read.add(env.group(1));
                }
            }
            service.get("environment").fieldNames().forEachRemaining(variable ->
                    assertTrue(read.contains(variable), name + " (" + spec.qualifiedName(" ") + ") does not read " + variable
                            + "; it reads " + new java.util.TreeSet<>(read)));
            for (CommandLine.Model.OptionSpec option : spec.options()) {
                if (option.required()) {
                    Matcher env = ENV.matcher(String.valueOf(option.defaultValue()));
                    boolean given = command.contains(option.longestName()) || env.find() && service.get("environment").has(env.group(1));
                    assertTrue(given, name + " must give " + option.longestName());
                }
            }
        }
    }

    @Test
    void prometheusScrapesEachServiceWhereItServesMetricsAndGrafanaReadsPrometheus() throws IOException {
        Set<String> targets = new HashSet<>();
        read(root.resolve("dashboards/prometheus/prometheus.yml")).get("scrape_configs")
                .forEach(job -> job.get("static_configs").forEach(c -> c.get("targets").forEach(t -> targets.add(t.asText()))));
        Set<String> served = new HashSet<>();
        for (String name : List.of("ingest", "classifier", "trainer")) {
            JsonNode env = services.get(name).get("environment");
            assertEquals("0.0.0.0", env.get("FRAMESTREAM_METRICS_HOST").asText(), name + " listens beyond its own loopback for Prometheus");
            String port = env.get("FRAMESTREAM_METRICS_PORT").asText();
            served.add(name + ":" + port);
        }
        assertEquals(served, targets);
        JsonNode datasource = read(root.resolve("dashboards/grafana/provisioning/datasources/prometheus.yml")).get("datasources").get(0);
        assertEquals("http://prometheus:9090", datasource.get("url").asText());
        assertTrue(services.get("prometheus").get("ports").toString().contains("9090"));
        assertEquals("prometheus", datasource.get("uid").asText(), "the dashboards' panels name this data source uid");
        for (JsonNode volume : services.get("grafana").get("volumes")) {
            assertTrue(Files.isDirectory(root.resolve(volume.asText().split(":")[0])), volume.asText());
        }
    }

    @Test
    void mountedFilesExistAndTheCamerasFileIsValid() throws IOException {
        services.fields().forEachRemaining(service -> service.getValue().path("volumes").forEach(volume -> {
            String source = volume.asText().split(":")[0];
            if (source.startsWith("./")) {
                assertTrue(Files.exists(root.resolve(source)), service.getKey() + " mounts " + source + ", which is not in the repository");
            }
        }));
        assertEquals(4, CamerasFile.read(root.resolve("compose/cameras.yml")).size());
        for (String name : List.of("kafka", "ingest", "classifier", "trainer", "prometheus", "grafana")) {
            assertFalse(services.get(name).path("ports").isEmpty(), name + " publishes its port to the host");
        }
    }

    @Test
    void theDockerfileBuildsTheAppAndRunsItWithTheLaunchersFlags() throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("Dockerfile"));
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(2, froms.size(), "a build stage and a run stage");
        froms.forEach(from -> assertTrue(from.matches("FROM eclipse-temurin:\\d+-j(dk|re)-\\w+( AS \\w+)?"), from + " pins a Temurin image"));
        assertTrue(froms.get(1).contains("-jre-"), "the services run on a JRE");
        String text = String.join("\n", lines);
        assertTrue(text.contains("./mvnw") && text.contains("-DskipTests package"), "the image builds with the Maven wrapper");
        assertTrue(text.contains("COPY --from=build /src/app/target/framestream.jar") && text.contains("/src/app/target/lib"),
                "it copies what app/pom.xml makes: framestream.jar and lib/");
        String pom = Files.readString(root.resolve("app/pom.xml"));
        assertTrue(pom.contains("<finalName>framestream</finalName>") && pom.contains("<classpathPrefix>lib/</classpathPrefix>"));
        String launcher = Files.readString(root.resolve("framestream"));
        for (String flag : List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:-OptoRegScheduling")) {
            assertTrue(launcher.contains(flag) && text.contains("\"" + flag + "\""), "the image's JVM gets the launcher's " + flag);
        }
        assertTrue(Files.readString(root.resolve(".dockerignore")).contains("**/target"), "build outputs stay out of the context");
        assertNotNull(services.get("classifier").get("volumes"));
        assertTrue(text.contains("/var/lib/framestream/state"), "the classifier's state volume is owned by the service user");
    }

    /** The subcommand a compose command runs: its leading words that name commands. */
    private static CommandLine.Model.CommandSpec subcommand(List<String> command) {
        CommandLine line = FramestreamCommand.commandLine().setInterpolateVariables(false);     // defaults as written: ${env:...}
        for (String word : command) {
            CommandLine next = line.getSubcommands().get(word);
            if (next == null) {
                break;
            }
            line = next;
        }
        return line.getCommandSpec();
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }
}
