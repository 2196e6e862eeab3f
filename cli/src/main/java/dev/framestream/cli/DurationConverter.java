package dev.framestream.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** A duration flag as people write it: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms}, a bare number of seconds, or ISO-8601 ({@code PT90S}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    @Override
    public Duration convert(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.matches("\\d+(\\.\\d+)?")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        }
        if (value.startsWith("pt")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        Matcher part = PART.matcher(value);
        long millis = 0;
        int at = 0;
        while (part.find() && part.start() == at) {
            double amount = Double.parseDouble(part.group(1));
            millis += Math.round(amount * switch (part.group(2)) {
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1_000;
                default -> 1;
            });
            at = part.end();
        }
        if (at == 0 || at != value.length()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration; write e.g. 90s, 5m, 1h30m or 250ms");
        }
        return Duration.ofMillis(millis);
    }
}
