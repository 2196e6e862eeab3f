package dev.framestream.app.logging;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Turns a broker outage into two lines: "broker unreachable since 12:00:01, retrying" at the
 * first failed connection, and "broker reachable again" once the Kafka clients have gone
 * {@link #QUIET} without one. Every Kafka client of the process (the streams consumer, the
 * producers, the admin client) warns at each reconnect attempt, about once a second each, so an
 * outage of a minute would otherwise print hundreds of lines. The first warning of an outage goes
 * to the log file as Kafka wrote it; the repeats are dropped.
 */
public final class BrokerOutages extends TurboFilter {
    /** How long without a failed connection before the outage counts as over; clients retry at least once a second. */
    static final Duration QUIET = Duration.ofSeconds(5);

    private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";
    private static final String OURS = "dev.framestream.kafka";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final LongSupplier clock;
    private ScheduledExecutorService watcher;
    private volatile Logger log;
    private long since = -1;
    private long last;

    public BrokerOutages() {
        this(System::currentTimeMillis);
    }

    BrokerOutages(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null || !logger.getName().equals(NETWORK_CLIENT) || !isConnectionFailure(format)) {
            return FilterReply.NEUTRAL;
        }
        // Our lines go through the context of the logger that warned, so they reach the same appenders.
        log = logger.getLoggerContext().getLogger(OURS);
        long now = clock.getAsLong();
        boolean first;
        synchronized (this) {
            first = since < 0;
            if (first) {
                since = now;
            }
            last = now;
        }
        if (first) {
            log.warn("broker unreachable since {}, retrying (each client's attempts: see the log file)", clock(now));
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }

    private static boolean isConnectionFailure(String format) {
        return format.contains("could not be established") || format.contains("disconnected");
    }

    /** Says the outage is over if the clients have been quiet long enough; the watcher calls it every second. */
    void check() {
        long now = clock.getAsLong();
        long began;
        synchronized (this) {
            if (since < 0 || now - last < QUIET.toMillis()) {
                return;
            }
            began = since;
            since = -1;
        }
        log.warn("broker reachable again: no failed connection for {} s (unreachable from {} for about {} s)", QUIET.toSeconds(),
                clock(began), (now - QUIET.toMillis() - began) / 1000 + 1);
    }

    private static String clock(long millis) {
        return CLOCK.format(LocalTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault())
                .truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public void start() {
        watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("framestream-broker-outages").factory());
        watcher.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
        super.start();
    }

    @Override
    public void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        super.stop();
    }
}
