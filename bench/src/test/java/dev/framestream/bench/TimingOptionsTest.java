package dev.framestream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.framestream.cli.EnvironmentDefaults;
import picocli.CommandLine;

class TimingOptionsTest {

    private static CommandLine line(Object command) {
        return new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults());
    }

    @Test
    void eachBenchmarkKeepsItsOwnTimingDefaults() {
        StringWriter engine = new StringWriter();
        line(new EngineBenchCommand()).usage(new PrintWriter(engine, true));
        StringWriter compare = new StringWriter();
        line(new CompareBenchCommand()).usage(new PrintWriter(compare, true));
        assertTrue(engine.toString().matches("(?s).*--rounds=N .*?\\(default: 3\\).*"), engine.toString());
        assertTrue(compare.toString().matches("(?s).*--rounds=N .*?\\(default: 7\\).*"), compare.toString());
        assertTrue(compare.toString().matches("(?s).*--seconds=S .*?\\(default: 1\\.0\\).*"), compare.toString());
    }

    @Test
    void theFlagsSetTheTiming() {
        TimingOptions timing = new TimingOptions(3, 2, 3);
        new CommandLine(new Holder(timing)).parseArgs("--seconds", "0.5", "--warmup-seconds", "0", "--rounds", "5");
        assertEquals(0.5, timing.seconds());
        assertEquals(0, timing.warmupSeconds());
        assertEquals(5, timing.rounds());
    }

    @Test
    void aBadValueIsRefusedNamingItsFlag() {
        for (Map.Entry<String, String> bad : Map.of("--seconds", "0", "--warmup-seconds", "-1", "--rounds", "0").entrySet()) {
            TimingOptions timing = new TimingOptions(3, 2, 3);
            new CommandLine(new Holder(timing)).parseArgs(bad.getKey(), bad.getValue());
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> {
                timing.seconds();
                timing.warmupSeconds();
                timing.rounds();
            });
            assertTrue(refused.getMessage().startsWith(bad.getKey() + " "), refused.getMessage());
        }
    }

    @CommandLine.Command(name = "holder")
    static final class Holder {
        @CommandLine.Mixin
        final TimingOptions timing;

        Holder(TimingOptions timing) {
            this.timing = timing;
        }
    }
}
