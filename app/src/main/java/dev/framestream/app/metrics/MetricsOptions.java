package dev.framestream.app.metrics;

import picocli.CommandLine.Option;

/** The {@code --metrics-port} / {@code --metrics-host} pair every service mixes in. */
public final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:FRAMESTREAM_METRICS_PORT:--1}",
            description = "Serve Prometheus metrics on http://HOST:PORT/metrics; 0 = any free port, -1 = off (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--metrics-host", paramLabel = "ADDRESS", defaultValue = "${env:FRAMESTREAM_METRICS_HOST:-127.0.0.1}",
            description = "Where metrics listen: 127.0.0.1 keeps them on this machine, 0.0.0.0 lets a Prometheus in another container"
                    + " or host scrape them (default: ${DEFAULT-VALUE}).")
    String host;

    /** The registry, served as these options say. */
    public MetricsServer start() {
        return MetricsServer.start(host, port);
    }
}
