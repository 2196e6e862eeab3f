package dev.framestream.bench.peers;

import java.util.Arrays;

/**
 * The timing method every benchmark shares: run a body untimed for the warm-up, then for a fixed
 * wall time (and at least a few times), each run timed alone with {@code System.nanoTime}.
 *
 * @param sortedNanos every timed run's duration, ascending
 * @param seconds     wall time of the timed part
 */
public record TimedRuns(long[] sortedNanos, double seconds) {

    public static TimedRuns measure(Runnable body, double warmupSeconds, double seconds, int atLeast) {
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            body.run();
        } while (System.nanoTime() < warmupEnd);
        long[] latencies = new long[256];
        int count = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now = start;
        while (now < end || count < atLeast) {
            long before = System.nanoTime();
            body.run();
            now = System.nanoTime();
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = now - before;
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return new TimedRuns(sorted, (now - start) / 1e9);
    }

    /** Timed runs per second of wall time. */
    public double runsPerSecond() {
        return count() / seconds;
    }

    /** Number of timed runs. */
    public int count() {
        return sortedNanos.length;
    }

    /** The q-quantile of the runs in milliseconds, nearest rank. */
    public double percentileMillis(double q) {
        int index = (int) Math.ceil(q * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }
}
