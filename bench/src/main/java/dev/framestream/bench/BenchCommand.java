package dev.framestream.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code framestream bench}: the benchmarks, one subcommand each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the engine, training and the whole pipeline, and print figures (frames/s, latency, GFLOP/s, share of the FMA peak).",
        subcommands = {EngineBenchCommand.class, TrainBenchCommand.class, PipelineBenchCommand.class, OnlineBenchCommand.class,
                ChaosBenchCommand.class, CompareBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
