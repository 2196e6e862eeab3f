package dev.framestream.engine.layers;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.framestream.engine.kernels.BatchLoweredConvolution;
import dev.framestream.engine.kernels.PixelRowsConvolution;
import dev.framestream.engine.kernels.RowPanels;
import dev.framestream.engine.parallel.ParallelTask;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Shape;

/**
 * A convolution on a small output plane, with the ReLU or clip after it if there is one, computed
 * for the whole batch at once: the inference step that stands for them where per-example panels would be
 * mostly padding (ResNet's last stages, 7x7 planes). A batch whose pixels fill GEMM panels runs
 * with the pixels as columns ({@link BatchLoweredConvolution}); a batch too small for that (one
 * example of a 2x2 plane) with the pixels as rows and the filters as columns
 * ({@link PixelRowsConvolution}). Each packs its own copy of the weights when first used. Inference
 * only, like {@link FusedConvolution}: the network keeps its layers, which own the parameters.
 */
public final class BatchedConvolution implements BatchLayer {
    private final Conv2D conv;
    private final List<Layer> layers;
    private final float floor;
    private final float ceiling;
    private final BatchLoweredConvolution lowering;
    private final PixelRowsConvolution pixelRows;
    private long packedVersion = -1;
    private long pixelRowsVersion = -1;
    /*
     * The loop bodies of a batch, kept per calling thread (several inferences may run this step at
     * once) and refilled for each batch, so a batch allocates nothing.
     */
    private final ThreadLocal<Tasks> tasks = ThreadLocal.withInitial(Tasks::new);

    private BatchedConvolution(List<Layer> layers, BatchLoweredConvolution lowering) {
        this.conv = (Conv2D) layers.get(0);
        this.layers = List.copyOf(layers);
        Layer after = layers.size() > 1 ? layers.get(1) : null;
        this.floor = after instanceof Clip clip ? clip.min() : after != null ? 0f : Float.NEGATIVE_INFINITY;
        this.ceiling = after instanceof Clip clip ? clip.max() : Float.POSITIVE_INFINITY;
        this.lowering = lowering;
        this.pixelRows = conv.pixelRows();
    }

    /**
     * The batched step starting at {@code layers.get(at)} where it pays: a convolution whose
     * plane is small enough ({@link Conv2D#batchLowering}), with the ReLU or clip (ReLU6) that
     * follows it.
     */
    public static Optional<BatchedConvolution> startingAt(List<Layer> layers, int at) {
        if (!(layers.get(at) instanceof Conv2D conv)) {
            return Optional.empty();
        }
        boolean activation = at + 1 < layers.size() && (layers.get(at + 1) instanceof Relu || layers.get(at + 1) instanceof Clip);
        return conv.batchLowering().map(lowering -> new BatchedConvolution(layers.subList(at, at + (activation ? 2 : 1)), lowering));
    }

    /** How many of the network's layers this one stands for. */
    public int fusedLayers() {
        return layers.size();
    }

    @Override
    public String name() {
        return layers.stream().map(Layer::name).collect(Collectors.joining("+"));
    }

    @Override
    public String spec() {
        return layers.stream().map(Layer::spec).collect(Collectors.joining(" | "));
    }

    @Override
    public Shape inputShape() {
        return conv.inputShape();
    }

    @Override
    public Shape outputShape() {
        return conv.outputShape();
    }

    /** The convolution's, which it owns. */
    @Override
    public List<Parameter> parameters() {
        return conv.parameters();
    }

    @Override
    public long flopsPerExample() {
        return layers.stream().mapToLong(Layer::flopsPerExample).sum();
    }

    @Override
    public int scratchFloats(int maxBatch) {
        int floats = lowering.scratchFloats(maxBatch);
        for (int batch = 1; batch <= maxBatch; batch++) {
            if (pixelRows.suits(batch)) {
                floats = Math.max(floats, pixelRows.scratchFloats(batch));
            }
        }
        return floats;
    }

    @Override
    public void forward(float[] in, float[] out, int batch, float[] scratch, WorkerPool pool) {
        Tasks task = tasks.get();
        task.in = in;
        task.out = out;
        task.batch = batch;
        task.scratch = scratch;
        if (pixelRows.suits(batch)) {
            repackPixelRowsIfChanged();
            if (task.rows == null || task.rows.rows() != batch * conv.outputShape().height() * conv.outputShape().width()) {
                task.rows = pixelRows.rowPanels(batch);     // once per batch size this thread sees
            }
            pool.parallelFor(task.rows.count(), task.packRows);
            pool.parallelFor(pixelRows.units(), task.multiplyRows);
        } else {
            repackIfChanged();
            pool.parallelFor(batch, task.pack);
            pool.parallelFor(lowering.units(batch), task.multiply);
        }
        task.in = null;
        task.out = null;
        task.scratch = null;
    }

    /** Packs the weights again when the convolution's have changed since (new weights, a new batch-norm fold). */
    private synchronized void repackIfChanged() {
        if (packedVersion != conv.version()) {
            lowering.packWeights(conv.weightValues());
            packedVersion = conv.version();
        }
    }

    private synchronized void repackPixelRowsIfChanged() {
        if (pixelRowsVersion != conv.version()) {
            pixelRows.packWeights(conv.weightValues());
            pixelRowsVersion = conv.version();
        }
    }

    /** One batch's two phases, as the pool runs them. */
    private final class Tasks {
        private float[] in;
        private float[] out;
        private float[] scratch;
        private int batch;
        private RowPanels rows;
        private final ParallelTask pack = (example, worker) -> lowering.pack(in, example, scratch);
        private final ParallelTask multiply = (unit, worker) ->
                lowering.multiply(batch, unit, conv.biasValues(), floor, ceiling, out, scratch);
        private final ParallelTask packRows = (panel, worker) -> pixelRows.pack(in, rows, panel, scratch);
        private final ParallelTask multiplyRows = (unit, worker) ->
                pixelRows.multiply(rows, unit, conv.biasValues(), floor, ceiling, out, scratch);
    }

    /** Training runs the network's own layers, not the inference plan's batched steps. */
    @Override
    public void trainingForward(float[] in, float[] out, int from, int to, long seed, float[] scratch) {
        throw new UnsupportedOperationException(name() + " is an inference step; train the network's layers one by one");
    }

    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        throw new UnsupportedOperationException(name() + " is an inference step; train the network's layers one by one");
    }
}
