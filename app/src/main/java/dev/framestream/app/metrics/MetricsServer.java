package dev.framestream.app.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A service's metrics for Prometheus: a Micrometer registry, and on {@code --metrics-port} a small
 * HTTP server (the JDK's own) that answers {@code GET /metrics} with the text exposition format.
 * It listens on 127.0.0.1 unless a host is given.
 */
public final class MetricsServer implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** A registry served on {@code port} (0: any free port); a negative port serves nothing. */
    public static MetricsServer start(String host, int port) {
        if (port < 0) {
            return new MetricsServer(null);
        }
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
            MetricsServer metrics = new MetricsServer(http);
            http.createContext("/metrics", exchange -> {
                byte[] body = metrics.registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
            return metrics;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage()
                    + "; pick another --metrics-port", e);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The URL Prometheus scrapes, or null when nothing is served. */
    public String url() {
        return server == null ? null : "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/metrics";
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }
}
