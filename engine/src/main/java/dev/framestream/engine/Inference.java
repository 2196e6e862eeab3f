package dev.framestream.engine;

import java.util.Arrays;
import java.util.List;

import dev.framestream.engine.InferencePlan.Segment;
import dev.framestream.engine.InferencePlan.Step;
import dev.framestream.engine.layers.BatchLayer;
import dev.framestream.engine.layers.ExampleLayer;
import dev.framestream.engine.layers.FusedConvolution;
import dev.framestream.engine.layers.JoinLayer;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.parallel.ParallelTask;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.BufferPlan;
import dev.framestream.engine.tensor.Tensor;

/**
 * One caller's workspace for running a {@link Network}: the activation buffers its values need and
 * each thread's scratch, sized once (the batch-wide ones for the largest batch asked for), so a warm
 * inference allocates nothing per batch. Not thread-safe: one per calling thread; any number may share a network
 * and a pool.
 */
public final class Inference {
    /*
     * Scheduling. Consecutive example layers (and joins) form a segment. When the batch has at
     * least as many examples as the pool has threads, each thread takes whole examples through
     * the entire segment: an example's activations stay in that core's L2 from one layer to the
     * next instead of going through L3 between layers. Examples left over (batch mod threads, or a
     * batch smaller than the pool) run one at a time with every layer cut into slices, so a batch
     * of one still uses every core. A batch layer (dense) runs on the whole batch, parallel within
     * the layer.
     *
     * Buffers. A value made and read within one segment lives in a workspace of one example per
     * thread, not in a buffer for the whole batch: a thread copies the example's inputs of the
     * segment in, runs the segment's layers between workspace buffers, and copies out what later
     * segments read. Workspace buffers are reused as soon as a value is dead, at layer
     * granularity, since one thread runs its example's layers in order. So a ResNet's trunk needs
     * a few example-sized buffers per thread instead of every activation for the whole batch, and
     * those stay in the core's cache. Values that cross segments are batch-wide; their buffers are
     * reused from one segment to a later one.
     */
    private final Network network;
    private final WorkerPool pool;
    private final List<Step> steps;
    private final List<Layer> stepLayers;
    private final List<Segment> segments;
    private final BufferPlan shared;
    private final BufferPlan local;
    private final int outputValue;
    private int capacity;
    private float[][] sharedSlots;
    private final float[][] values;
    /** Per thread: the workspace's buffers by slot, and each join step's inputs among them. */
    private final float[][][] workspaces;
    private final float[][][][] joined;
    private final float[][] scratch;
    /** Per thread and step: nanoseconds spent in the step during a profiled run. */
    private final long[][] threadNanos;
    private float[] batchScratch;
    private final InferencePlan plan;
    /*
     * The parallel loops' bodies, made once: each batch sets the fields they read before handing
     * them to the pool, so a batch allocates nothing.
     */
    private Segment wholeSegment;
    private boolean wholeTimed;
    private final ParallelTask wholeExamples = this::runWholeExample;
    private ExampleLayer slicedLayer;
    private float[] slicedIn;
    private float[] slicedOut;
    private int slicedParts;
    private final ParallelTask slicedPart = this::runSlicedPart;
    private Tensor output;

    Inference(Network network, WorkerPool pool, int maxBatch) {
        this.network = network;
        this.pool = pool;
        this.outputValue = network.layers().size();
        this.plan = network.inferencePlan();
        this.steps = plan.steps();
        this.segments = plan.segments();
        this.shared = plan.shared();
        this.local = plan.local();
        this.stepLayers = steps.stream().map(Step::layer).toList();
        this.values = new float[outputValue + 1][];
        int threads = pool.threads();
        this.workspaces = new float[threads][local.slots()][];
        this.joined = new float[threads][steps.size()][][];
        this.scratch = new float[threads][];
        this.threadNanos = new long[threads][steps.size()];
        int scratchFloats = 0;
        for (Step step : steps) {
            if (step.layer() instanceof ExampleLayer example) {
                scratchFloats = Math.max(scratchFloats, example.scratchFloats());
            }
        }
        for (int t = 0; t < threads; t++) {
            for (int slot = 0; slot < local.slots(); slot++) {
                workspaces[t][slot] = new float[local.slotFloats(slot)];
            }
            for (int s = 0; s < steps.size(); s++) {
                if (steps.get(s).layer() instanceof JoinLayer) {
                    float[][] ws = workspaces[t];
                    joined[t][s] = Arrays.stream(steps.get(s).localInputs()).mapToObj(slot -> ws[slot]).toArray(float[][]::new);
                }
            }
            scratch[t] = new float[scratchFloats];
        }
        allocate(Math.max(1, maxBatch));
    }

    /**
     * Runs a batch through the network and returns its output. The returned tensor's array belongs
     * to this inference and is overwritten by the next call: copy what must outlive it.
     */
    public Tensor forward(Tensor input) {
        return run(input, null);
    }

    /**
     * Like {@link #forward} but timing each of the {@link #steps()}, adding its share of the wall
     * time in nanoseconds to {@code nanosPerStep}: the breakdown the benchmark prints. Where threads
     * run whole examples, a step's share is the time the threads spent in it divided by their number.
     */
    public Tensor profile(Tensor input, long[] nanosPerStep) {
        return run(input, nanosPerStep);
    }

    /**
     * The network's layers as this inference runs them: each convolution fused with the ReLU (and
     * 2x2 max-pool) after it where its method can apply them on output ({@link FusedConvolution})
     * and nothing else reads the convolution's own output.
     */
    public List<Layer> steps() {
        return stepLayers;
    }

    /** Floats of activation buffers this inference holds now: the batch-wide ones for {@link #capacity()} examples, and every thread's workspace. */
    public long bufferFloats() {
        long floats = 0;
        for (float[] slot : sharedSlots) {
            floats += slot.length;
        }
        for (int slot = 0; slot < local.slots(); slot++) {
            floats += (long) local.slotFloats(slot) * workspaces.length;
        }
        return floats;
    }

    private Tensor run(Tensor input, long[] nanosPerStep) {
        if (!input.shape().equals(network.inputShape())) {
            throw new IllegalArgumentException("input " + input.shape() + " does not match the network input "
                    + network.inputShape() + " (" + network.spec() + ")");
        }
        int batch = input.batch();
        if (batch > capacity) {
            allocate(batch);
        }
        plan.refreshFolds();
        values[0] = input.data();
        if (batch > 0) {
            for (int g = 0; g < segments.size(); g++) {      // indexed: an iterator per batch is garbage
                Segment segment = segments.get(g);
                if (segment.batch()) {
                    long start = System.nanoTime();
                    Step step = steps.get(segment.first());
                    ((BatchLayer) step.layer()).forward(values[step.inputs()[0]], values[step.output()], batch, batchScratch, pool);
                    record(nanosPerStep, segment.first(), start);
                } else {
                    int threads = pool.threads();
                    int whole = threads == 1 ? batch : batch / threads * threads;
                    if (whole > 0) {
                        boolean timed = nanosPerStep != null;
                        wholeSegment = segment;
                        wholeTimed = timed;
                        pool.parallelFor(whole, wholeExamples);
                        for (int s = segment.first(); s < segment.end() && timed; s++) {
                            for (long[] nanos : threadNanos) {
                                nanosPerStep[s] += nanos[s] / threads;
                                nanos[s] = 0;
                            }
                        }
                    }
                    for (int example = whole; example < batch; example++) {
                        sliced(segment, example, nanosPerStep);
                    }
                }
            }
        }
        if (output == null || output.batch() != batch || output.data() != values[outputValue]) {
            output = new Tensor(batch, network.outputShape(), values[outputValue]);
        }
        values[0] = null;
        return output;
    }

    private static void record(long[] nanosPerStep, int step, long start) {
        if (nanosPerStep != null) {
            nanosPerStep[step] += System.nanoTime() - start;
        }
    }

    private void runWholeExample(int example, int worker) {
        wholeExample(wholeSegment, example, worker, wholeTimed);
    }

    private void runSlicedPart(int part, int worker) {
        int slices = slicedLayer.slices();
        slicedLayer.forward(slicedIn, slicedOut, 0, ExampleLayer.sliceStart(slices, slicedParts, part),
                ExampleLayer.sliceStart(slices, slicedParts, part + 1), scratch[worker]);
    }

    /** One thread takes example {@code example} through the whole segment in its own workspace. */
    private void wholeExample(Segment segment, int example, int worker, boolean timed) {
        float[][] workspace = workspaces[worker];
        importInputs(segment, example, workspace);
        for (int s = segment.first(); s < segment.end(); s++) {
            long start = timed ? System.nanoTime() : 0;
            Step step = steps.get(s);
            float[] out = workspace[step.localOutput()];
            if (step.layer() instanceof JoinLayer join) {
                join.forward(joined[worker][s], out, 0);
            } else {
                ExampleLayer layer = (ExampleLayer) step.layer();
                layer.forward(workspace[step.localInputs()[0]], out, 0, 0, layer.slices(), scratch[worker]);
            }
            exportOutput(step, example, out);
            if (timed) {
                threadNanos[worker][s] += System.nanoTime() - start;
            }
        }
    }

    /**
     * Example {@code example} through the segment with every layer cut into slices that all threads
     * share, in the first thread's workspace (no thread runs whole examples meanwhile).
     */
    private void sliced(Segment segment, int example, long[] nanosPerStep) {
        float[][] workspace = workspaces[0];
        importInputs(segment, example, workspace);
        for (int s = segment.first(); s < segment.end(); s++) {
            long start = System.nanoTime();
            Step step = steps.get(s);
            float[] out = workspace[step.localOutput()];
            if (step.layer() instanceof JoinLayer join) {
                join.forward(joined[0][s], out, 0);
            } else {
                ExampleLayer layer = (ExampleLayer) step.layer();
                float[] in = workspace[step.localInputs()[0]];
                int slices = layer.slices();
                int parts = Math.min(slices, pool.threads());
                slicedLayer = layer;
                slicedIn = in;
                slicedOut = out;
                slicedParts = parts;
                pool.parallelFor(parts, slicedPart);
            }
            exportOutput(step, example, out);
            record(nanosPerStep, s, start);
        }
    }

    private void importInputs(Segment segment, int example, float[][] workspace) {
        for (int i = 0; i < segment.imports().length; i++) {
            int floats = segment.importFloats()[i];
            System.arraycopy(values[segment.imports()[i]], example * floats, workspace[segment.importSlots()[i]], 0, floats);
        }
    }

    private void exportOutput(Step step, int example, float[] out) {
        if (step.exported()) {
            int floats = step.layer().outputShape().size();
            System.arraycopy(out, 0, values[step.output()], example * floats, floats);
        }
    }

    private void allocate(int maxBatch) {
        float[][] buffers = new float[shared.slots()][];
        for (int slot = 0; slot < buffers.length; slot++) {
            buffers[slot] = new float[Math.multiplyExact(maxBatch, shared.slotFloats(slot))];
        }
        int batchScratchFloats = 0;
        for (Step step : steps) {
            if (step.layer() instanceof BatchLayer batch) {
                batchScratchFloats = Math.max(batchScratchFloats, batch.scratchFloats(maxBatch));
            }
            if (shared.slotOf(step.output()) != BufferPlan.PROVIDED) {
                values[step.output()] = buffers[shared.slotOf(step.output())];
            }
        }
        this.sharedSlots = buffers;
        this.batchScratch = new float[batchScratchFloats];
        this.capacity = maxBatch;
    }

    /** The largest batch the buffers hold now. */
    public int capacity() {
        return capacity;
    }
}
