package dev.framestream.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

import dev.framestream.classifier.streams.ClassifierService;

/**
 * The steady figure of {@code bench pipeline}: the classifier working through a backlog and the
 * engine alone, in alternating slices of the same length, so that both sample the same stretches
 * of the VM's speed. On a shared VM that speed swings from one second to the next, so a drain
 * compared with one engine-alone figure taken before it can come out far above or below the
 * classifier's real share of the engine (measurements: docs/benchmarks.md#engine-kernels).
 *
 * <p>The classifier is paused between its slices ({@link ClassifierService#pause()}), with frames
 * still waiting on the topic, so each of its slices runs on a backlog. A batch still with the
 * engine when it pauses finishes during a short settle before the engine alone starts, and its
 * frames count in the next slice: over several slices that evens out.
 */
final class InterleavedSlices {
    private static final Duration SETTLE = Duration.ofMillis(150);

    /** Frames published and not yet classified, and a way to publish more. */
    interface Backlog {
        long waiting();

        void add(int frames);
    }

    /**
     * @param fps        the classifier's frames over its slices' time
     * @param engineFps  the engine alone's frames/s, the mean of its slices (all of the same length)
     * @param pairRatios each classifier slice against the engine-alone slice after it, sorted
     * @param jitShare   seconds the JIT compiler spent per second of the whole measurement
     */
    record Result(int pairs, double sliceSeconds, double fps, double engineFps, double[] pairRatios, double jitShare) {
        double ratio() {
            return fps / engineFps;
        }
    }

    private InterleavedSlices() {
    }

    /**
     * @param classifier paused, and left paused
     * @param classified frames the classifier has forwarded so far
     * @param expectedFps the classifier's rate as last seen, to keep enough frames waiting for the first slice
     */
    static Result measure(ClassifierService classifier, DoubleSupplier classified, EngineAlone engine, Backlog backlog, int pairs,
                          Duration slice, double expectedFps) throws InterruptedException {
        double sliceSeconds = slice.toNanos() / 1e9;
        double classifierFrames = 0;
        double classifierSeconds = 0;
        double engineFpsSum = 0;
        double[] ratios = new double[pairs];
        double fastest = expectedFps;
        long began = System.nanoTime();
        long compiling = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        for (int i = 0; i < pairs; i++) {
            // Never let the classifier run dry within a slice: twice what its fastest slice took is waiting.
            long wanted = (long) Math.ceil(2 * sliceSeconds * fastest);
            long waiting = backlog.waiting();
            if (waiting < wanted) {
                backlog.add((int) (wanted - waiting));
            }
            double before = classified.getAsDouble();
            long start = System.nanoTime();
            classifier.resume();
            Thread.sleep(slice);
            classifier.pause();
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(SETTLE);
            double frames = classified.getAsDouble() - before;
            double engineFps = engine.framesPerSecond(sliceSeconds);
            classifierFrames += frames;
            classifierSeconds += seconds;
            engineFpsSum += engineFps;
            ratios[i] = frames / seconds / engineFps;
            fastest = Math.max(fastest, frames / seconds);
        }
        double jit = (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compiling) / 1e3;
        Arrays.sort(ratios);
        return new Result(pairs, sliceSeconds, classifierFrames / classifierSeconds, engineFpsSum / pairs, ratios,
                jit / ((System.nanoTime() - began) / 1e9));
    }
}
