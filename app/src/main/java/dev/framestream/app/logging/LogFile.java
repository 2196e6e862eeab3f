package dev.framestream.app.logging;

import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.PropertyDefinerBase;

/**
 * The log file of this process: {@code FRAMESTREAM_LOG_FILE} if set, else
 * {@code <tmp>/framestream/framestream-<pid>.log}, one per process so that a broker, a classifier
 * and an ingest on one machine do not interleave their lines.
 */
public final class LogFile extends PropertyDefinerBase {
    /** The logback property {@code logback.xml} defines with this class. */
    public static final String PROPERTY = "FRAMESTREAM_LOG_PATH";

    @Override
    public String getPropertyValue() {
        String set = System.getenv("FRAMESTREAM_LOG_FILE");
        if (set != null && !set.isBlank()) {
            return set;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "framestream", "framestream-" + ProcessHandle.current().pid() + ".log").toString();
    }

    /** Where this process's library logs go, for the line a service prints at its start; null when logback is not in charge. */
    public static String path() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context ? context.getProperty(PROPERTY) : null;
    }

    /** The line a long-running command prints at its start: where to look when the console is not enough. */
    public static Optional<String> startLine() {
        return Optional.ofNullable(path()).map(path -> "logs: " + path + " (every line, Kafka's too)");
    }
}
