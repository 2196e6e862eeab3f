package dev.framestream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A framestream service ({@code classify}, {@code train --online}) as a separate OS process on
 * this JVM's binary, class path and JVM flags, so it can be killed the way a machine dies: SIGKILL,
 * no shutdown hook, no last commit. Its output goes to a log file.
 */
final class ServiceProcess implements AutoCloseable {
    private final List<String> command;
    private final Path log;
    private Process process;
    private int starts;

    /** @param command the class whose {@code main} runs the framestream command; {@code args} are its arguments */
    ServiceProcess(Class<?> command, List<String> args, Path log) {
        this.command = new ArrayList<>();
        this.command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The service gets this JVM's flags (modules, native access, heap) but not its debugger or recording.
            if (!flag.startsWith("-agentlib:jdwp") && !flag.startsWith("-XX:StartFlightRecording") && !flag.startsWith("-javaagent")) {
                this.command.add(flag);
            }
        }
        this.command.addAll(List.of("-cp", System.getProperty("java.class.path"), command.getName()));
        this.command.addAll(args);
        this.log = log;
    }

    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        starts++;
    }

    /** SIGKILL: the process stops mid-whatever, as on a power cut. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    int starts() {
        return starts;
    }

    Path log() {
        return log;
    }

    /** SIGTERM and a wait for the clean stop (its shutdown hook commits); SIGKILL if it does not come. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(45).toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }
}
