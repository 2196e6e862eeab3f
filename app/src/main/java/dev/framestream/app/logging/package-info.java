/**
 * Where log lines go: framestream's own on the console, everything (Kafka's and the other
 * libraries' too) in a log file, and a broker outage as one line instead of a warning per
 * reconnect attempt. Wired in by {@code logback.xml}.
 */
package dev.framestream.app.logging;
