package dev.framestream.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.engine.training.Adam;
import dev.framestream.engine.training.Training;

/**
 * Once warm, a forward pass and a training step allocate nothing on any thread, for every network
 * of the benchmark suite: the classifier's JVM shares its heap with the broker and the clients,
 * and garbage per batch is pauses at the top of their latency. Counted by the JVM per thread
 * ({@code ThreadMXBean.getThreadAllocatedBytes}) over the calling thread and the pool's workers.
 *
 * <p>"Warm" means compiled by C2: until then the Vector API runs as objects. A kernel called
 * rarely reaches C2 late, so each case measures windows until one is clean, up to a deadline; a
 * batch that allocates for good fails every window.
 *
 * <p>The build runs this class twice: as it is, and with nothing of the engine inlined by C2
 * (surefire execution {@code allocation-without-inlining}). A Vector API value passed to or
 * returned from a call C2 does not inline is boxed; whether C2 inlines a call depends on its
 * budget and on the profile of the launch, so only the second run fails every time a kernel
 * lets a vector cross a call.
 */
class AllocationTest {
    private static final long WARM_UP_NANOS = 1_500_000_000L;
    /** How long a measured window runs (at least 3 batches). */
    private static final long WINDOW_NANOS = 300_000_000L;
    /** When a case stops looking for a clean window, from its start. */
    private static final long DEADLINE_NANOS = 12_000_000_000L;
    /**
     * What a window may show beside its batches: the counters' own result arrays, about 8 bytes
     * per live thread.
     */
    private static final long MEASURING = 2_048;
    /** What a batch may allocate: a forward pass nothing, a step its result. */
    private static final long PER_FORWARD = 0;
    private static final long PER_STEP = 256;
    private static final String VGG = "in 3x32x32 | conv 16 3x3 pad 1 | relu | conv 16 3x3 pad 1 | relu | maxpool 2"
            + " | conv 32 3x3 pad 1 | relu | conv 32 3x3 pad 1 | relu | globalavgpool | flatten | fc 10 | softmax";
    private static final String EVERY_JOIN = "in 4x12x12 | conv 8 3x3 pad 1 | batchnorm | relu6 as a | conv 8 3x3 pad 1 groups 8"
            + " | batchnorm | add a | maxpool 3 stride 2 pad 1 ceil as b | conv 4 1x1 | leakyrelu 0.1 | concat b | globalavgpool"
            + " | flatten | fc 5 | sigmoid | fc 3 | softmax";

    private static WorkerPool pool;
    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(2);
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @ParameterizedTest(name = "{0} batch={1}")
    @CsvSource(delimiter = ';', value = {
            "DIGITS;1", "DIGITS;32", "CAMERA;1", "CAMERA;8", "LENET5;1", "LENET5;32", VGG + ";1", VGG + ";16",
            "RESNET8;1", "RESNET8;16", "RESNET18 in 3x64x64;1", "RESNET18 in 3x64x64;8", "RESNET18 in 3x224x224;1",
            "MOBILENETV2 in 3x64x64;4", "MOBILENETV2 in 3x224x224;1", "SQUEEZENET11 in 3x64x64;4", "SQUEEZENET11 in 3x224x224;1",
            EVERY_JOIN + ";5"})
    void aWarmForwardPassAllocatesNothing(String net, int batch) {
        Network network = network(net);
        Inference inference = network.newInference(pool, batch);
        Tensor input = input(network, batch);
        assertAllocatesAtMost(PER_FORWARD, net + " forward at batch " + batch, () -> inference.forward(input));
    }

    @ParameterizedTest(name = "{0} batch={1}")
    @CsvSource(delimiter = ';', value = {
            "DIGITS;32", "CAMERA;8", "LENET5;16", VGG + ";8", "RESNET8;8", "RESNET18 in 3x32x32;4", "MOBILENETV2 in 3x32x32;4",
            "SQUEEZENET11 in 3x64x64;2", EVERY_JOIN + ";5"})
    void aWarmTrainingStepAllocatesAtMostItsResult(String net, int batch) {
        Network network = network(net);
        Training training = new Training(network, pool, Adam.withDecay(1e-4, true), 5, 0, 3);
        Tensor input = input(network, batch);
        int[] labels = new int[batch];
        for (int e = 0; e < batch; e++) {
            labels[e] = e % training.classes();
        }
        assertAllocatesAtMost(PER_STEP, net + " training step at batch " + batch, () -> training.step(input, labels, 1e-4));
    }

    private static Network network(String net) {
        Network network = Network.build(ArchitectureSpec.of(net), Kernels.best());
        network.initialise(1);
        return network;
    }

    private static Tensor input(Network network, int batch) {
        Tensor input = Tensor.zeros(batch, network.inputShape());
        SplittableRandom random = new SplittableRandom(5);
        float[] data = input.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble(-1, 1);
        }
        return input;
    }

    private static void assertAllocatesAtMost(long perBatch, String what, Runnable batch) {
        // Warm: long enough for C2 to compile the kernels, whose vectors only it keeps in registers.
        long batches = 0;
        long started = System.nanoTime();
        for (long end = started + WARM_UP_NANOS; System.nanoTime() < end || batches < 3; batches++) {
            batch.run();
        }
        long perWindow = Math.max(3, batches * WINDOW_NANOS / Math.max(1, System.nanoTime() - started));
        long allowed = MEASURING + perBatch * perWindow;
        long fewest = Long.MAX_VALUE;
        long[] ids = engineThreads();
        // A window may catch a late compilation or deoptimisation; a batch that allocates shows in every window.
        while (fewest > allowed && System.nanoTime() - started < DEADLINE_NANOS) {
            long before = sum(threads.getThreadAllocatedBytes(ids));
            for (long i = 0; i < perWindow; i++) {
                batch.run();
            }
            fewest = Math.min(fewest, sum(threads.getThreadAllocatedBytes(ids)) - before);
        }
        assertTrue(fewest <= allowed, what + " allocated " + fewest + " bytes over " + perWindow + " warm batches, "
                + fewest / perWindow + " per batch; at most " + perBatch + " per batch may be");
    }

    /** The calling thread and the pools' workers: what else runs in a test JVM (surefire's own threads) is not the engine's. */
    private static long[] engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().startsWith("framestream-engine-"))
                .mapToLong(Thread::threadId)
                .toArray();
    }

    private static long sum(long[] bytes) {
        long total = 0;
        for (long b : bytes) {
            total += Math.max(0, b);     // -1 for a thread that has ended
        }
        return total;
    }
}
