package dev.framestream.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import dev.framestream.engine.kernels.VectorWidth;
import dev.framestream.engine.parallel.WorkerPool;

/**
 * Measures the machine's fp32 FMA peak as the JVM sees it: every pool thread runs independent
 * FMA chains at the kernels' vector width ({@link VectorWidth}) with nothing else in the loop. Benchmarks divide by it to report the share
 * of peak a kernel reaches, measured in the same run on the same cores.
 */
public final class FmaPeak {
    /*
     * 10 independent chains cover the FMA latency (4 cycles on Zen) times the two FMA ports;
     * acc = 0.999999 * acc + 1e-6 converges to 1, so no denormals slow it down. 12 chains written
     * as acc.fma(a, b) stalled under what the GEMM kernel itself reaches, and a peak probe must
     * not be the slowest loop in the run (measurements: docs/benchmarks.md#engine-kernels).
     */
    /* The kernels' width, never another: two vector shapes in one JVM make the kernels allocate (VectorWidth). */
    private static final VectorSpecies<Float> S = VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
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
            perThread[item] = iterations * 10.0 * S.length() * 2 / seconds / 1e9;
            sinks[item] = sink;
        });
        // The chains' results are stored in sinks, which the pool's task reference keeps reachable,
        // so the JIT cannot drop the loop as dead code.
        double total = 0;
        for (int t = 0; t < threads; t++) {
            total += perThread[t];
        }
        return total;
    }

    private static float chains(int iterations) {
        FloatVector a = FloatVector.broadcast(S, 0.999999f);
        FloatVector b = FloatVector.broadcast(S, 1e-6f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
        FloatVector c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
        for (int i = 0; i < iterations; i++) {
            c0 = a.fma(c0, b);
            c1 = a.fma(c1, b);
            c2 = a.fma(c2, b);
            c3 = a.fma(c3, b);
            c4 = a.fma(c4, b);
            c5 = a.fma(c5, b);
            c6 = a.fma(c6, b);
            c7 = a.fma(c7, b);
            c8 = a.fma(c8, b);
            c9 = a.fma(c9, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
