package dev.framestream.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets through to the console only framestream's own lines: what an operator acts on. Kafka's and
 * the other libraries' lines (a broker's retriable errors, a client's reconnect warnings) go to the
 * log file only, where they are kept whole for when something needs explaining.
 */
public final class OwnLogsOnly extends Filter<ILoggingEvent> {
    private static final String OURS = "dev.framestream";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getLoggerName().startsWith(OURS) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
