package dev.framestream.engine.kernels;

import dev.framestream.engine.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's fp32 FMA peak as the JVM sees it: every pool thread runs independent
 * 256-bit FMA chains with nothing else in the loop. Benchmarks divide by it to report the share
 * of peak a kernel reaches, measured in the same run on the same cores.
 */
public final class FmaPeak {
    /*
     * 12 independent accumulators cover the FMA latency (4 cycles on Zen) times the two FMA ports
     * with room to spare; acc = acc * 0.999999 + 1e-6 converges to 1, so no denormals slow it down.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int CHUNK = 200_000;

    private FmaPeak() {
    }

    /** GFLOP/s of all pool threads together, measured for about {@code nanos} nanoseconds. */
    public static double gflops(WorkerPool pool, long nanos) {
        int threads = pool.threads();
        double[] perThread = new double[threads];
        float[] sinks = new float[threads];
        pool.parallelFor(threads, (item, worker) -> {
            long start = System.nanoTime();
            long iterations = 0;
            float sink = 0;
            while (System.nanoTime() - start < nanos) {
                sink += chains(CHUNK);
                iterations += CHUNK;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            perThread[item] = iterations * 12.0 * S.length() * 2 / seconds / 1e9;
            sinks[item] = sink;
        });
        double total = 0;
        for (int t = 0; t < threads; t++) {
            total += perThread[t] + sinks[t] * 0;   // reading the sinks keeps the chains alive
        }
        return total;
    }

    private static float chains(int iterations) {
        FloatVector a = FloatVector.broadcast(S, 0.999999f);
        FloatVector b = FloatVector.broadcast(S, 1e-6f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
