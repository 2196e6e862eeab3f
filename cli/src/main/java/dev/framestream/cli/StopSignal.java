package dev.framestream.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C or SIGTERM for a command that runs until told to stop. The signal only asks: the command
 * closes what it runs (a last commit, a last checkpoint) and returns its own exit code, so a clean
 * stop exits 0, which supervisors (systemd, Kubernetes, compose restart policies) count as
 * success; left to the JVM, a signal ends the process with 128 + the signal's number. A command
 * that has not stopped within its grace period is ended with exit code 1, and a second signal
 * ends it at once.
 *
 * <p>Where the JVM does not let a program handle signals ({@code -Xrs}), the shutdown hook still
 * asks the command and holds the JVM for the grace period; the exit code is then the JVM's.
 */
public final class StopSignal implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final String command;
    private final Duration grace;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean asked = new AtomicBoolean();
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final Thread hook;

    private StopSignal(String command, Duration grace) {
        this.command = command;
        this.grace = grace;
        hook = new Thread(() -> {
            request();
            awaitClosed();
        }, "framestream-" + command + "-shutdown");
    }

    /** Listens for Ctrl-C and SIGTERM from now on; a stop waits at most {@code grace} for {@link #close()}. */
    public static StopSignal install(String command, Duration grace) {
        StopSignal signal = new StopSignal(command, grace);
        for (String name : SIGNALS) {
            try {
                Signal os = new Signal(name);
                signal.previous.put(os, Signal.handle(os, signal::received));
            } catch (IllegalArgumentException e) {
                // -Xrs, or a platform without this signal: the shutdown hook below stands in
            }
        }
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Runs {@code action} when the stop is asked for, on the signal's thread: to interrupt a blocking call, say. */
    public StopSignal onStop(Runnable action) {
        onStop.add(action);
        return this;
    }

    /** Waits up to {@code timeout} for Ctrl-C or SIGTERM; true when it came. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return requested.await(timeout, unit);
    }

    /** True once a stop was asked for. */
    public boolean requested() {
        return requested.getCount() == 0;
    }

    private void received(Signal signal) {
        if (requested()) {
            System.err.printf("framestream %s: SIG%s again; stopping now without finishing%n", command, signal.getName());
            System.exit(128 + signal.getNumber());
        }
        request();
        Thread.ofPlatform().daemon().name("framestream-" + command + "-stop-deadline").start(() -> {
            if (!awaitClosed()) {
                System.err.printf("framestream %s: did not stop within %d s of SIG%s; exiting%n", command, grace.toSeconds(), signal.getName());
                Runtime.getRuntime().halt(1);
            }
        });
    }

    private void request() {
        if (asked.compareAndSet(false, true)) {
            requested.countDown();
            onStop.forEach(Runnable::run);
        }
    }

    private boolean awaitClosed() {
        try {
            return closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Everything is closed: the JVM may exit. The signals are the JVM's again, and when the command ended by itself, the hook goes away. */
    @Override
    public void close() {
        closed.countDown();
        previous.forEach(Signal::handle);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already stopping: the hook is running and now returns
        }
    }
}
