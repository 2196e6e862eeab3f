package dev.framestream.cli;

import picocli.CommandLine.Option;

/** {@code --threads N}: Kafka Streams threads, for the commands that run the classifier. */
public final class StreamThreadsOption {

    @Option(names = "--threads", paramLabel = "N",
            description = "Kafka Streams threads; each takes whole partitions (default: ${DEFAULT-VALUE}).")
    private int threads = 1;

    public int count() {
        return threads;
    }
}
