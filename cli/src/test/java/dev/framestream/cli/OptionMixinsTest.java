package dev.framestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class OptionMixinsTest {

    @Command(name = "measure")
    static final class Measure {
        @Mixin
        final SeedOption seed = new SeedOption(42);

        @Mixin
        final BatchSizesOption batches = new BatchSizesOption(32, 64);

        @Mixin
        final EngineThreadsOption threads = new EngineThreadsOption();

        @Option(names = "--cameras", defaultValue = "${env:FRAMESTREAM_CAMERAS_FILE:-none}")
        String cameras;
    }

    @Command(name = "train")
    static final class Train {
        @Mixin
        final SeedOption seed = new SeedOption();

        @Mixin
        final BatchOption batch = new BatchOption(32);
    }

    @Command(name = "bench")
    static final class Bench {
        @Mixin
        final InputOption input = new InputOption();
    }

    @Test
    void inputSizesANamedNetAndRefusesANetThatHasItsOwn() {
        assertEquals("RESNET18 in 3x96x96", parse(new Bench(), Map.of(), "--input", "3x96x96").input.applyTo("RESNET18"));
        assertEquals("RESNET8", parse(new Bench(), Map.of()).input.applyTo("RESNET8"), "no --input, no change");
        assertEquals("LENET5 in 1x32x32", parse(new Bench(), Map.of("FRAMESTREAM_INPUT", "1x32x32")).input.applyTo("LENET5"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(new Bench(), Map.of(), "--input", "3x96x96").input.applyTo("in 1x28x28 | fc 10"));
        assertTrue(e.getMessage().contains("gives its own"), e.getMessage());
    }

    private static <T> T parse(T command, Map<String, String> environment, String... args) {
        CommandLine line = new CommandLine(command);
        line.setDefaultValueProvider(new EnvironmentDefaults(environment::get));
        line.parseArgs(args);
        return command;
    }

    @Test
    void eachCommandKeepsItsOwnDefaultWhenNothingIsGiven() {
        Measure measure = parse(new Measure(), Map.of());
        assertEquals(42, measure.seed.value());
        assertEquals(List.of(32, 64), measure.batches.sizes());
        assertEquals(0, measure.threads.count());
        Train train = parse(new Train(), Map.of());
        assertEquals(1, train.seed.value());
        assertEquals(32, train.batch.size());
    }

    @Test
    void theFlagWinsOverTheEnvironmentAndTheEnvironmentOverTheDefault() {
        Map<String, String> environment = Map.of("FRAMESTREAM_SEED", "7", "FRAMESTREAM_BATCH", "1,8", "FRAMESTREAM_THREADS", "2");
        Measure fromEnvironment = parse(new Measure(), environment);
        assertEquals(7, fromEnvironment.seed.value());
        assertEquals(List.of(1, 8), fromEnvironment.batches.sizes());
        assertEquals(2, fromEnvironment.threads.poolSize());
        Measure fromFlags = parse(new Measure(), environment, "--seed", "3", "--batch", "16");
        assertEquals(3, fromFlags.seed.value());
        assertEquals(List.of(16), fromFlags.batches.sizes());
    }

    @Test
    void anOptionWithItsOwnDefaultKeepsItsOwnVariable() {
        assertEquals("none", parse(new Measure(), Map.of("FRAMESTREAM_CAMERAS", "4")).cameras);
    }

    /** As ingest's --cameras FILE: its own variable is unset here, and the camera count of other commands must not stand in. */
    @Command(name = "ingest")
    static final class Ingest {
        @Option(names = "--cameras", defaultValue = "${env:FRAMESTREAM_CAMERAS_FILE}")
        String cameras;
    }

    @Test
    void anOwnVariableThatIsUnsetIsNotReplacedByTheFlagNamedOne() {
        assertEquals(null, parse(new Ingest(), Map.of("FRAMESTREAM_CAMERAS", "4")).cameras);
    }

    @Test
    void helpAndVersionTakeNothingFromTheEnvironment() {
        @Command(name = "tool", mixinStandardHelpOptions = true, version = "1")
        final class Tool implements Runnable {
            @Override
            public void run() {
            }
        }
        CommandLine line = new CommandLine(new Tool());
        line.setDefaultValueProvider(new EnvironmentDefaults(Map.of("FRAMESTREAM_VERSION", "0.1.0", "FRAMESTREAM_HELP", "true")::get));
        CommandLine.ParseResult parsed = line.parseArgs();
        assertTrue(!parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested());
    }

    @Test
    void zeroThreadsIsOnePerCoreAndANegativeCountIsRefusedByName() {
        assertEquals(Runtime.getRuntime().availableProcessors(), parse(new Measure(), Map.of(), "--threads", "0").threads.poolSize());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> parse(new Measure(), Map.of(), "--threads", "-1").threads.poolSize());
        assertTrue(refused.getMessage().contains("--threads"), refused.getMessage());
    }

    @Test
    void aBatchSizeBelowOneIsRefusedByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> parse(new Measure(), Map.of(), "--batch", "8,0").batches.sizes());
        assertTrue(refused.getMessage().contains("--batch"), refused.getMessage());
    }

    @Test
    void helpShowsTheCommandsOwnDefaults() {
        StringWriter help = new StringWriter();
        CommandLine line = new CommandLine(new Measure());
        line.setDefaultValueProvider(new EnvironmentDefaults(name -> null));
        line.usage(new PrintWriter(help, true));
        assertTrue(help.toString().contains("(default: 42)"), help.toString());
        assertTrue(help.toString().contains("(default: [32, 64])"), help.toString());
    }
}
