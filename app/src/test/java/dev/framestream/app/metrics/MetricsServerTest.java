package dev.framestream.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.framestream.ingest.IngestMetrics;

/** The Prometheus endpoint on 127.0.0.1 serves the ingest meters under the names the dashboards use. */
class MetricsServerTest {

    @Test
    void servesTheMetersInPrometheusTextFormat() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0)) {
            assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
            IngestMetrics metrics = new IngestMetrics(server.registry(), "door");
            metrics.sent(true, 2_000_000);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("framestream_ingest_records_acknowledged_total{camera=\"door\"} 1.0"), response.body());
            assertTrue(response.body().contains("framestream_ingest_publish_latency_seconds_count{camera=\"door\"} 1"), response.body());
        }
    }

    @Test
    void aNegativePortServesNothing() {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", -1)) {
            assertNull(server.url());
        }
    }
}
