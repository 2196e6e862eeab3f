package dev.framestream.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.framestream.engine.layers.BatchLayer;
import dev.framestream.engine.layers.ExampleLayer;
import dev.framestream.engine.layers.FusedConvolution;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;

/**
 * One caller's workspace for running a {@link Network}: the activation buffers of every layer and
 * each thread's scratch, sized once for the largest batch asked for, so a warm inference allocates
 * no buffers per batch. Not thread-safe: one per calling thread; any number may share a network
 * and a pool.
 */
public final class Inference {
    /*
     * Scheduling. Consecutive example layers form a segment. When the batch has at least as many
     * examples as the pool has threads, each thread takes whole examples through the entire
     * segment: an example's activations stay in that core's L2 from one layer to the next instead
     * of going through L3 between layers. Examples left over (batch mod threads, or a batch smaller
     * than the pool) run layer by layer with every layer cut into slices, so a batch of one still
     * uses every core. A batch layer (dense) runs on the whole batch, parallel within the layer.
     */
    private final Network network;
    private final WorkerPool pool;
    private final List<Layer> steps;
    private final List<Segment> segments;
    private int capacity;
    private float[][] activations;
    private float[][] scratch;
    private float[] batchScratch;

    private record Segment(int first, int end, boolean batch) {
    }

    Inference(Network network, WorkerPool pool, int maxBatch) {
        this.network = network;
        this.pool = pool;
        this.steps = plan(network.layers());
        this.segments = segments(steps);
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
     * 2x2 max-pool) after it where its method can apply them on output ({@link FusedConvolution}).
     */
    public List<Layer> steps() {
        return steps;
    }

    private static List<Layer> plan(List<Layer> layers) {
        List<Layer> steps = new ArrayList<>();
        for (int l = 0; l < layers.size(); ) {
            Optional<FusedConvolution> fused = FusedConvolution.startingAt(layers, l);
            steps.add(fused.isPresent() ? fused.get() : layers.get(l));
            l += fused.map(FusedConvolution::fusedLayers).orElse(1);
        }
        return List.copyOf(steps);
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
        List<Layer> layers = steps;
        float[][] buffers = activations;
        buffers[0] = input.data();
        if (batch > 0) {
            for (Segment segment : segments) {
                if (segment.batch()) {
                    long start = System.nanoTime();
                    ((BatchLayer) layers.get(segment.first())).forward(buffers[segment.first()],
                            buffers[segment.first() + 1], batch, batchScratch, pool);
                    record(nanosPerStep, segment.first(), start);
                } else if (nanosPerStep != null) {
                    for (int l = segment.first(); l < segment.end(); l++) {
                        long start = System.nanoTime();
                        sliced(layers, buffers, l, 0, batch);
                        record(nanosPerStep, l, start);
                    }
                } else {
                    runSegment(layers, buffers, segment, batch);
                }
            }
        }
        Tensor output = new Tensor(batch, network.outputShape(), buffers[layers.size()]);
        buffers[0] = null;
        return output;
    }

    private static void record(long[] nanosPerStep, int step, long start) {
        if (nanosPerStep != null) {
            nanosPerStep[step] += System.nanoTime() - start;
        }
    }

    private void runSegment(List<Layer> layers, float[][] buffers, Segment segment, int batch) {
        int threads = pool.threads();
        int whole = threads == 1 ? batch : batch / threads * threads;
        if (whole > 0) {
            pool.parallelFor(whole, (example, worker) -> {
                for (int l = segment.first(); l < segment.end(); l++) {
                    ExampleLayer layer = (ExampleLayer) layers.get(l);
                    layer.forward(buffers[l], buffers[l + 1], example, 0, layer.slices(), scratch[worker]);
                }
            });
        }
        for (int l = segment.first(); l < segment.end() && whole < batch; l++) {
            sliced(layers, buffers, l, whole, batch);
        }
    }

    /**
     * Examples {@code [from, to)} of layer {@code l}, each cut into as many contiguous slice ranges
     * as it takes to give every thread work: a range pays a layer's per-call setup (a convolution's
     * padded input copy) once, where one item per slice paid it per slice.
     */
    private void sliced(List<Layer> layers, float[][] buffers, int l, int from, int to) {
        ExampleLayer layer = (ExampleLayer) layers.get(l);
        int slices = layer.slices();
        int examples = to - from;
        int parts = Math.min(slices, Math.max(1, (pool.threads() + examples - 1) / examples));
        pool.parallelFor(examples * parts, (item, worker) -> {
            int part = item % parts;
            layer.forward(buffers[l], buffers[l + 1], from + item / parts,
                    ExampleLayer.sliceStart(slices, parts, part), ExampleLayer.sliceStart(slices, parts, part + 1),
                    scratch[worker]);
        });
    }

    private void allocate(int maxBatch) {
        List<Layer> layers = steps;
        float[][] buffers = new float[layers.size() + 1][];
        int scratchFloats = 0;
        int batchScratchFloats = 0;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            buffers[l + 1] = new float[Math.multiplyExact(maxBatch, layer.outputShape().size())];
            switch (layer) {
                case ExampleLayer example -> scratchFloats = Math.max(scratchFloats, example.scratchFloats());
                case BatchLayer batch -> batchScratchFloats = Math.max(batchScratchFloats, batch.scratchFloats(maxBatch));
            }
        }
        float[][] perThread = new float[pool.threads()][];
        for (int t = 0; t < perThread.length; t++) {
            perThread[t] = new float[scratchFloats];
        }
        this.activations = buffers;
        this.scratch = perThread;
        this.batchScratch = new float[batchScratchFloats];
        this.capacity = maxBatch;
    }

    private static List<Segment> segments(List<Layer> layers) {
        List<Segment> segments = new ArrayList<>();
        int start = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) instanceof BatchLayer) {
                if (start < l) {
                    segments.add(new Segment(start, l, false));
                }
                segments.add(new Segment(l, l + 1, true));
                start = l + 1;
            }
        }
        if (start < layers.size()) {
            segments.add(new Segment(start, layers.size(), false));
        }
        return segments;
    }

    /** The largest batch the buffers hold now. */
    public int capacity() {
        return capacity;
    }
}
