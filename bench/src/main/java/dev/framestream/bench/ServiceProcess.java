package dev.framestream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
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
public final class ServiceProcess implements AutoCloseable {
    private final List<String> command;
    private final Path log;
    private Process process;
    private int starts;

    /** @param command the class whose {@code main} runs the framestream command; {@code args} are its arguments */
    public ServiceProcess(Class<?> command, List<String> args, Path log) {
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

    public void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        starts++;
    }

    /** SIGKILL: the process stops mid-whatever, as on a power cut. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public int starts() {
        return starts;
    }

    public Path log() {
        return log;
    }

    /** Waits until the log holds {@code text} (the service got that far); false if the process ended first or the patience ran out. */
    public boolean awaitOutput(String text, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            boolean ended = !alive() || System.nanoTime() > deadline;
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            if (ended) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    /**
     * SIGTERM, as a supervisor stops a service, and the exit code of the clean stop; -1 when it
     * did not stop within {@code patience} (then it is SIGKILLed).
     */
    public int terminate(Duration patience) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            return -1;
        }
        return process.exitValue();
    }

    /** SIGTERM and a wait for the clean stop (a last commit); SIGKILL if it does not come. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            terminate(Duration.ofSeconds(45));
        }
    }
}
