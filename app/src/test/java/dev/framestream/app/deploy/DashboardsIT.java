package dev.framestream.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.framestream.app.cli.FramestreamCommand;

/**
 * Every metric a Grafana panel queries is one the services really expose: the demo runs ingest,
 * the classifier and the online trainer on the same meters the separate services register, and its
 * {@code /metrics} is scraped while frames flow and versions are published.
 */
class DashboardsIT {
    /** Metric names in a PromQL expression: ours and Kafka's client metrics; label names and functions are neither. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:framestream|kafka)_[a-z0-9_]+)");

    @Test
    void everyMetricAPanelQueriesIsInTheServicesRealScrape() throws Exception {
        Map<String, Set<String>> queried = queriedMetrics();
        assertFalse(queried.isEmpty());
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"demo", "--duration", "35s", "--fps", "20", "--publish-every-seconds", "5", "--metrics-port", Integer.toString(port)};
        CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> FramestreamCommand.commandLine().execute(args));
        Set<String> exposed = new HashSet<>();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !demo.isDone()) {
            try {
                String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                exposed = names(scrape);
                if (scrape.contains("framestream_trainer_versions_published_total 1") || scrape.contains("framestream_trainer_versions_published_total 2")) {
                    if (exposed.containsAll(queried.keySet())) {
                        break;
                    }
                }
            } catch (IOException e) {
                // not serving yet
            }
            Thread.sleep(500);
        }
        Set<String> missing = new HashSet<>(queried.keySet());
        missing.removeAll(exposed);
        Map<String, Set<String>> where = new TreeMap<>(queried);
        where.keySet().retainAll(missing);
        assertTrue(missing.isEmpty(), "panels query metrics no service exposes: " + where);
        assertEquals(0, demo.get());
    }

    /** Metric name -> the dashboards and panels that query it. */
    private static Map<String, Set<String>> queriedMetrics() throws IOException {
        Map<String, Set<String>> queried = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(Repository.root().resolve("dashboards/grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                for (JsonNode panel : json.readTree(file.toFile()).get("panels")) {
                    assertFalse(panel.path("targets").isEmpty(), file.getFileName() + ": " + panel.get("title") + " has no query");
                    for (JsonNode target : panel.get("targets")) {
                        Matcher metric = METRIC.matcher(target.get("expr").asText());
                        boolean any = false;
                        while (metric.find()) {
                            queried.computeIfAbsent(metric.group(1), m -> new HashSet<>()).add(file.getFileName() + ": " + panel.get("title").asText());
                            any = true;
                        }
                        assertTrue(any, "no metric in " + target.get("expr"));
                    }
                }
            }
        }
        return queried;
    }

    private static Set<String> names(String scrape) {
        Set<String> names = new HashSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }
}
