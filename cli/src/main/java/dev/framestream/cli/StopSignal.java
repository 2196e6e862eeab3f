package dev.framestream.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) for a command that runs until told to stop: the JVM's shutdown hook tells
 * the command, then holds the JVM for up to a grace period while the command closes what it runs
 * (a last commit, a last checkpoint), until the command says it is done.
 */
public final class StopSignal implements AutoCloseable {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    private StopSignal(String command, Duration grace) {
        hook = new Thread(() -> {
            requested.countDown();
            try {
                closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "framestream-" + command + "-shutdown");
    }

    /** Listens for Ctrl-C from now on; a stop waits at most {@code grace} for {@link #close()}. */
    public static StopSignal install(String command, Duration grace) {
        StopSignal signal = new StopSignal(command, grace);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Waits up to {@code timeout} for Ctrl-C; true when it came. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return requested.await(timeout, unit);
    }

    /** Everything is closed: the JVM may exit. When the command ended by itself, the hook goes away. */
    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already stopping: the hook is running and now returns
        }
    }
}
