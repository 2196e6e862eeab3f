package dev.framestream.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.framestream.engine.layers.BatchLayer;
import dev.framestream.engine.layers.ExampleLayer;
import dev.framestream.engine.layers.FusedConvolution;
import dev.framestream.engine.layers.JoinLayer;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.BufferPlan;
import dev.framestream.engine.tensor.Tensor;

/**
 * One caller's workspace for running a {@link Network}: the activation buffers its values need and
 * each thread's scratch, sized once for the largest batch asked for, so a warm inference allocates
 * no buffers per batch. Not thread-safe: one per calling thread; any number may share a network
 * and a pool.
 */
public final class Inference {
    /*
     * Scheduling. Consecutive example layers (and joins) form a segment. When the batch has at
     * least as many examples as the pool has threads, each thread takes whole examples through
     * the entire segment: an example's activations stay in that core's L2 from one layer to the
     * next instead of going through L3 between layers. Examples left over (batch mod threads, or a
     * batch smaller than the pool) run layer by layer with every layer cut into slices, so a batch
     * of one still uses every core. A batch layer (dense) runs on the whole batch, parallel within
     * the layer.
     *
     * Buffers. A value's buffer is reused by a later value once every layer reading it has run,
     * but only from the next segment on: inside a segment threads run different examples at
     * different layers, and values of different sizes put example e at different offsets, so one
     * thread's writes of a new value could land on another thread's unread example of the old.
     */
    private final Network network;
    private final WorkerPool pool;
    private final List<Step> steps;
    private final List<Layer> stepLayers;
    private final List<Segment> segments;
    private final BufferPlan plan;
    private final int outputValue;
    private int capacity;
    private float[][] slots;
    private final float[][] values;
    private float[][] scratch;
    private float[] batchScratch;

    /** A layer (or fused layers) reading {@code inputs} and writing {@code output}, values of the network. */
    private record Step(Layer layer, int[] inputs, int output, float[][] joined) {
    }

    private record Segment(int first, int end, boolean batch) {
    }

    Inference(Network network, WorkerPool pool, int maxBatch) {
        this.network = network;
        this.pool = pool;
        this.steps = plan(network);
        this.stepLayers = steps.stream().map(Step::layer).toList();
        this.segments = segments(steps);
        this.outputValue = network.layers().size();
        this.plan = bufferPlan(network, steps, segments);
        this.values = new float[outputValue + 1][];
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
     * Like {@link #forward} but step by step, adding each of the {@link #steps()}' wall time in
     * nanoseconds to {@code nanosPerStep}: the breakdown the benchmark prints. Slower than forward,
     * since it gives up running whole examples per thread.
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

    /** Floats of activation buffers this inference holds now, for {@link #capacity()} examples. */
    public long bufferFloats() {
        long floats = 0;
        for (float[] slot : slots) {
            floats += slot.length;
        }
        return floats;
    }

    private static List<Step> plan(Network network) {
        List<Layer> layers = network.layers();
        int[] readers = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) {
            network.inputs(l).forEach(v -> readers[v]++);
        }
        List<Step> steps = new ArrayList<>();
        for (int l = 0; l < layers.size(); ) {
            // Layers after l may fuse into it only if each reads the one before and is its only reader.
            int chained = l + 1;
            while (chained < layers.size() && network.inputs(chained).equals(List.of(chained)) && readers[chained] == 1) {
                chained++;
            }
            Optional<FusedConvolution> fused = FusedConvolution.startingAt(layers.subList(0, chained), l);
            int count = fused.map(FusedConvolution::fusedLayers).orElse(1);
            int[] inputs = network.inputs(l).stream().mapToInt(Integer::intValue).toArray();
            Layer layer = fused.isPresent() ? fused.get() : layers.get(l);
            steps.add(new Step(layer, inputs, l + count, layer instanceof JoinLayer ? new float[inputs.length][] : null));
            l += count;
        }
        return List.copyOf(steps);
    }

    private static BufferPlan bufferPlan(Network network, List<Step> steps, List<Segment> segments) {
        int values = network.layers().size() + 1;
        int[] floats = new int[values];
        int[] born = new int[values];
        int[] lastRead = new int[values];
        Arrays.fill(born, BufferPlan.PROVIDED);     // the input, and values fused away
        for (int g = 0; g < segments.size(); g++) {
            for (int s = segments.get(g).first(); s < segments.get(g).end(); s++) {
                Step step = steps.get(s);
                floats[step.output()] = step.layer().outputShape().size();
                born[step.output()] = g;
                for (int v : step.inputs()) {
                    lastRead[v] = g;
                }
            }
        }
        lastRead[values - 1] = Integer.MAX_VALUE;
        return BufferPlan.plan(floats, born, lastRead);
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
        values[0] = input.data();
        for (Step step : steps) {
            if (step.joined() != null) {
                for (int k = 0; k < step.inputs().length; k++) {
                    step.joined()[k] = values[step.inputs()[k]];
                }
            }
        }
        if (batch > 0) {
            for (Segment segment : segments) {
                if (segment.batch()) {
                    long start = System.nanoTime();
                    Step step = steps.get(segment.first());
                    ((BatchLayer) step.layer()).forward(values[step.inputs()[0]], values[step.output()], batch, batchScratch, pool);
                    record(nanosPerStep, segment.first(), start);
                } else if (nanosPerStep != null) {
                    for (int s = segment.first(); s < segment.end(); s++) {
                        long start = System.nanoTime();
                        sliced(steps.get(s), 0, batch);
                        record(nanosPerStep, s, start);
                    }
                } else {
                    runSegment(segment, batch);
                }
            }
        }
        Tensor output = new Tensor(batch, network.outputShape(), values[outputValue]);
        values[0] = null;
        for (Step step : steps) {
            if (step.joined() != null) {
                Arrays.fill(step.joined(), null);
            }
        }
        return output;
    }

    private static void record(long[] nanosPerStep, int step, long start) {
        if (nanosPerStep != null) {
            nanosPerStep[step] += System.nanoTime() - start;
        }
    }

    private void runSegment(Segment segment, int batch) {
        int threads = pool.threads();
        int whole = threads == 1 ? batch : batch / threads * threads;
        if (whole > 0) {
            pool.parallelFor(whole, (example, worker) -> {
                for (int s = segment.first(); s < segment.end(); s++) {
                    Step step = steps.get(s);
                    if (step.layer() instanceof JoinLayer join) {
                        join.forward(step.joined(), values[step.output()], example);
                    } else {
                        ExampleLayer layer = (ExampleLayer) step.layer();
                        layer.forward(values[step.inputs()[0]], values[step.output()], example, 0, layer.slices(), scratch[worker]);
                    }
                }
            });
        }
        for (int s = segment.first(); s < segment.end() && whole < batch; s++) {
            sliced(steps.get(s), whole, batch);
        }
    }

    /**
     * Examples {@code [from, to)} of one step, each cut into as many contiguous slice ranges as it
     * takes to give every thread work: a range pays a layer's per-call setup (a convolution's
     * padded input copy) once, where one item per slice paid it per slice.
     */
    private void sliced(Step step, int from, int to) {
        float[] out = values[step.output()];
        if (step.layer() instanceof JoinLayer join) {
            pool.parallelFor(to - from, (item, worker) -> join.forward(step.joined(), out, from + item));
            return;
        }
        ExampleLayer layer = (ExampleLayer) step.layer();
        float[] in = values[step.inputs()[0]];
        int slices = layer.slices();
        int examples = to - from;
        int parts = Math.min(slices, Math.max(1, (pool.threads() + examples - 1) / examples));
        pool.parallelFor(examples * parts, (item, worker) -> {
            int part = item % parts;
            layer.forward(in, out, from + item / parts,
                    ExampleLayer.sliceStart(slices, parts, part), ExampleLayer.sliceStart(slices, parts, part + 1),
                    scratch[worker]);
        });
    }

    private void allocate(int maxBatch) {
        float[][] buffers = new float[plan.slots()][];
        for (int slot = 0; slot < buffers.length; slot++) {
            buffers[slot] = new float[Math.multiplyExact(maxBatch, plan.slotFloats(slot))];
        }
        int scratchFloats = 0;
        int batchScratchFloats = 0;
        for (Step step : steps) {
            switch (step.layer()) {
                case ExampleLayer example -> scratchFloats = Math.max(scratchFloats, example.scratchFloats());
                case BatchLayer batch -> batchScratchFloats = Math.max(batchScratchFloats, batch.scratchFloats(maxBatch));
                case JoinLayer join -> { }
            }
        }
        float[][] perThread = new float[pool.threads()][];
        for (int t = 0; t < perThread.length; t++) {
            perThread[t] = new float[scratchFloats];
        }
        for (Step step : steps) {
            values[step.output()] = buffers[plan.slotOf(step.output())];
        }
        this.slots = buffers;
        this.scratch = perThread;
        this.batchScratch = new float[batchScratchFloats];
        this.capacity = maxBatch;
    }

    private static List<Segment> segments(List<Step> steps) {
        List<Segment> segments = new ArrayList<>();
        int start = 0;
        for (int s = 0; s < steps.size(); s++) {
            if (steps.get(s).layer() instanceof BatchLayer) {
                if (start < s) {
                    segments.add(new Segment(start, s, false));
                }
                segments.add(new Segment(s, s + 1, true));
                start = s + 1;
            }
        }
        if (start < steps.size()) {
            segments.add(new Segment(start, steps.size(), false));
        }
        return segments;
    }

    /** The largest batch the buffers hold now. */
    public int capacity() {
        return capacity;
    }
}
