package dev.framestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsDurationsAsPeopleWriteThem() {
        assertEquals(Duration.ofSeconds(90), converter.convert("90s"));
        assertEquals(Duration.ofMinutes(5), converter.convert("5m"));
        assertEquals(Duration.ofMinutes(90), converter.convert("1h30m"));
        assertEquals(Duration.ofMillis(250), converter.convert("250ms"));
        assertEquals(Duration.ofMillis(1500), converter.convert("1.5"));
        assertEquals(Duration.ofSeconds(90), converter.convert("PT90S"));
    }

    @Test
    void refusesWhatIsNotADurationNamingTheForms() {
        for (String bad : new String[] {"", "5x", "m5", "5m junk", "-3s"}) {
            var error = assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert(bad), bad);
            assertEquals(true, error.getMessage().contains("90s, 5m"), error.getMessage());
        }
    }
}
