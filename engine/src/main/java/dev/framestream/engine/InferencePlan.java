package dev.framestream.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.framestream.engine.layers.BatchLayer;
import dev.framestream.engine.layers.BatchNorm;
import dev.framestream.engine.layers.BatchNormFold;
import dev.framestream.engine.layers.BatchedConvolution;
import dev.framestream.engine.layers.Conv2D;
import dev.framestream.engine.layers.FusedConvolution;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.tensor.BufferPlan;

/**
 * How {@link Inference} runs a network, worked out once from its layers and wiring: the steps
 * (layers, fused where the wiring allows), the segments they run in, and which buffer holds each
 * value. It depends on the network alone, not on the batch size or the threads.
 *
 * <p>A value made and read inside one example segment lives in a workspace of one example per
 * thread ({@link #local()}, reused at step granularity, since one thread runs its example's
 * layers in order). Values that cross segments, and the input and the output, are batch-wide
 * ({@link #shared()}, reused at segment granularity, since threads run different examples at
 * different layers within one segment).
 */
final class InferencePlan {

    /**
     * A layer (or fused layers) reading {@code inputs} and writing {@code output}, values of the
     * network (0 the input, {@code i + 1} layer i's output). In an example segment,
     * {@code localInputs} and {@code localOutput} are their workspace slots, and {@code exported}
     * says whether the output is also copied out to its batch-wide buffer.
     */
    record Step(Layer layer, int[] inputs, int output, int[] localInputs, int localOutput, boolean exported) {
    }

    /**
     * Steps {@code [first, end)}. An example segment copies {@code imports} (values made before it,
     * each {@code importFloats} per example) into workspace slots {@code importSlots} at its start.
     */
    record Segment(int first, int end, boolean batch, int[] imports, int[] importSlots, int[] importFloats) {
    }

    private final List<Step> steps;
    private final List<BatchNormFold> folds = new ArrayList<>();
    private final List<Segment> segments;
    private final BufferPlan shared;
    private final BufferPlan local;

    InferencePlan(Network network) {
        List<Step> fused = fuse(network, folds);
        List<int[]> ranges = segmentRanges(fused);
        int values = network.layers().size() + 1;
        int[] segmentOfValue = new int[values];       // the segment that makes each value; -1 for the input
        int[] segmentOfStep = new int[fused.size()];
        segmentOfValue[0] = -1;
        for (int g = 0; g < ranges.size(); g++) {
            for (int s = ranges.get(g)[0]; s < ranges.get(g)[1]; s++) {
                segmentOfStep[s] = g;
                segmentOfValue[fused.get(s).output()] = g;
            }
        }
        boolean[] crossing = new boolean[values];
        crossing[0] = true;
        crossing[values - 1] = true;
        for (int s = 0; s < fused.size(); s++) {
            boolean batch = fused.get(s).layer() instanceof BatchLayer;
            crossing[fused.get(s).output()] |= batch;
            for (int v : fused.get(s).inputs()) {
                crossing[v] |= batch || segmentOfValue[v] != segmentOfStep[s];
            }
        }
        this.shared = sharedPlan(network, fused, segmentOfStep, crossing);

        // Workspace entities, {floats, born step, last read step}: each segment's imports and each example step's output.
        List<int[]> entities = new ArrayList<>();
        int[][] localInputs = new int[fused.size()][];
        int[] localOutputs = new int[fused.size()];
        List<int[][]> imports = new ArrayList<>();    // per segment: {values, entities, floats}
        for (int[] range : ranges) {
            if (fused.get(range[0]).layer() instanceof BatchLayer) {
                imports.add(null);
                continue;
            }
            Map<Integer, Integer> entityOf = new HashMap<>();
            List<Integer> imported = new ArrayList<>();
            for (int s = range[0]; s < range[1]; s++) {
                Step step = fused.get(s);
                for (int v : step.inputs()) {
                    if (!entityOf.containsKey(v) && segmentOfValue[v] != segmentOfStep[s]) {
                        entityOf.put(v, entities.size());
                        entities.add(new int[] {valueFloats(network, v), range[0], range[0]});
                        imported.add(v);
                    }
                    int[] entity = entities.get(entityOf.get(v));
                    entity[2] = Math.max(entity[2], s);
                }
                entityOf.put(step.output(), entities.size());
                entities.add(new int[] {step.layer().outputShape().size(), s, s});
                localInputs[s] = Arrays.stream(step.inputs()).map(entityOf::get).toArray();
                localOutputs[s] = entityOf.get(step.output());
            }
            imports.add(new int[][] {imported.stream().mapToInt(Integer::intValue).toArray(),
                    imported.stream().mapToInt(entityOf::get).toArray(),
                    imported.stream().mapToInt(v -> valueFloats(network, v)).toArray()});
        }
        this.local = BufferPlan.plan(entities.stream().mapToInt(e -> e[0]).toArray(),
                entities.stream().mapToInt(e -> e[1]).toArray(), entities.stream().mapToInt(e -> e[2]).toArray());

        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < fused.size(); s++) {
            Step step = fused.get(s);
            steps.add(localInputs[s] == null ? step : new Step(step.layer(), step.inputs(), step.output(),
                    Arrays.stream(localInputs[s]).map(local::slotOf).toArray(), local.slotOf(localOutputs[s]), crossing[step.output()]));
        }
        this.steps = List.copyOf(steps);
        List<Segment> segments = new ArrayList<>();
        for (int g = 0; g < ranges.size(); g++) {
            int[][] in = imports.get(g);
            segments.add(in == null ? new Segment(ranges.get(g)[0], ranges.get(g)[1], true, null, null, null)
                    : new Segment(ranges.get(g)[0], ranges.get(g)[1], false, in[0], Arrays.stream(in[1]).map(local::slotOf).toArray(), in[2]));
        }
        this.segments = List.copyOf(segments);
    }

    List<Step> steps() {
        return steps;
    }

    /** Brings every folded batch normalisation up to date with its layers' values: before each batch. */
    void refreshFolds() {
        for (int f = 0; f < folds.size(); f++) {      // indexed: no iterator per batch
            folds.get(f).refresh();
        }
    }

    List<Segment> segments() {
        return segments;
    }

    /** Batch-wide buffers, by value. */
    BufferPlan shared() {
        return shared;
    }

    /** One example's workspace buffers, by the slots in {@link Step#localInputs()} and {@link Step#localOutput()}. */
    BufferPlan local() {
        return local;
    }

    /**
     * Each convolution with the batch normalisation after it folded in, and with the ReLU (and
     * 2x2 max-pool) after those fused, where nothing else reads what is folded or fused away.
     */
    private static List<Step> fuse(Network network, List<BatchNormFold> folds) {
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
            List<Layer> view = layers.subList(0, chained);
            int first = l;
            if (layers.get(l) instanceof Conv2D conv && l + 1 < chained && layers.get(l + 1) instanceof BatchNorm norm) {
                BatchNormFold fold = new BatchNormFold(conv, norm);
                folds.add(fold);
                view = new ArrayList<>(view);
                view.set(l + 1, fold.folded());
                first = l + 1;
            }
            // A small plane's convolution runs batch-wide; any other fuses what it can.
            Optional<BatchedConvolution> batched = BatchedConvolution.startingAt(view, first);
            Optional<FusedConvolution> fused = batched.isPresent() ? Optional.empty() : FusedConvolution.startingAt(view, first);
            int end = first + batched.map(BatchedConvolution::fusedLayers).or(() -> fused.map(FusedConvolution::fusedLayers)).orElse(1);
            Layer layer = batched.<Layer>map(b -> b).or(() -> fused.map(f -> f)).orElse(view.get(first));
            int[] inputs = network.inputs(l).stream().mapToInt(Integer::intValue).toArray();
            steps.add(new Step(layer, inputs, end, null, -1, false));
            l = end;
        }
        return steps;
    }

    /** Runs of example steps, and each batch step alone, as {first, end}. */
    private static List<int[]> segmentRanges(List<Step> steps) {
        List<int[]> ranges = new ArrayList<>();
        int start = 0;
        for (int s = 0; s < steps.size(); s++) {
            if (steps.get(s).layer() instanceof BatchLayer) {
                if (start < s) {
                    ranges.add(new int[] {start, s});
                }
                ranges.add(new int[] {s, s + 1});
                start = s + 1;
            }
        }
        if (start < steps.size()) {
            ranges.add(new int[] {start, steps.size()});
        }
        return ranges;
    }

    private static BufferPlan sharedPlan(Network network, List<Step> steps, int[] segmentOfStep, boolean[] crossing) {
        int values = network.layers().size() + 1;
        int[] floats = new int[values];
        int[] born = new int[values];
        int[] lastRead = new int[values];
        Arrays.fill(born, BufferPlan.PROVIDED);     // the input, values fused away, and values that stay in a workspace
        for (int s = 0; s < steps.size(); s++) {
            Step step = steps.get(s);
            if (crossing[step.output()]) {
                floats[step.output()] = step.layer().outputShape().size();
                born[step.output()] = segmentOfStep[s];
            }
            for (int v : step.inputs()) {
                lastRead[v] = Math.max(lastRead[v], segmentOfStep[s]);
            }
        }
        lastRead[values - 1] = Integer.MAX_VALUE;
        return BufferPlan.plan(floats, born, lastRead);
    }

    private static int valueFloats(Network network, int value) {
        return value == 0 ? network.inputShape().size() : network.layers().get(value - 1).outputShape().size();
    }
}
