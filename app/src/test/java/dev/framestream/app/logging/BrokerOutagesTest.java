package dev.framestream.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class BrokerOutagesTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoggerContext context = new LoggerContext();
    private final BrokerOutages outages = new BrokerOutages(now::get);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    BrokerOutagesTest() {
        context.addTurboFilter(outages);
        lines.setContext(context);
        lines.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(lines);
    }

    private void clientWarns(String format, Object... params) {
        context.getLogger("org.apache.kafka.clients.NetworkClient").warn(format, params);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void anOutageOfAMinuteIsOneLineWhenItStartsAndOneWhenItEnds() {
        for (int second = 0; second < 60; second++) {
            clientWarns("[Consumer clientId=c1] Connection to node {} ({}) could not be established. Node may not be available.", 1, "127.0.0.1:9092");
            clientWarns("[Producer clientId=p1] Bootstrap broker {} (id: -1 rack: null) disconnected", "127.0.0.1:9092");
            now.addAndGet(1000);
            outages.check();
        }
        assertEquals(2, messages().size(), "the outage line, Kafka's first warning (for the file), nothing more while it lasts: " + messages());
        assertTrue(messages().getFirst().startsWith("broker unreachable since "), messages().getFirst());
        assertEquals("dev.framestream.kafka", lines.list.getFirst().getLoggerName(), "ours, so the console shows it");
        now.addAndGet(BrokerOutages.QUIET.toMillis());
        outages.check();
        assertEquals(3, messages().size(), messages().toString());
        assertTrue(messages().getLast().startsWith("broker reachable again"), messages().getLast());
        clientWarns("Connection to node {} ({}) could not be established. Node may not be available.", 1, "127.0.0.1:9092");
        assertTrue(messages().get(3).startsWith("broker unreachable since "), "a second outage is told again: " + messages());
    }

    @Test
    void otherWarningsAndOtherLoggersPassUntouched() {
        clientWarns("Attempting to close NetworkClient that has already been closed.");
        context.getLogger("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator").warn("Broker disconnected while committing");
        context.getLogger("org.apache.kafka.clients.NetworkClient").info("Node {} disconnected.", 1);
        assertEquals(3, messages().size(), messages().toString());
        now.addAndGet(60_000);
        outages.check();
        assertEquals(3, messages().size(), "no outage began, so none ends: " + messages());
    }
}
