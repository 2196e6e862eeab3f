package dev.framestream.classifier.inference;

import java.util.HexFormat;

import dev.framestream.engine.Inference;
import dev.framestream.engine.layers.Softmax;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.media.Image;
import dev.framestream.model.Model;

/**
 * One validated model version, ready to serve: the model, its weights' hash, and the workspace its
 * batches run in (an {@link Inference} plus an input buffer, sized for the largest batch). Batches
 * run one at a time on the classifier's {@link InferenceQueue} thread, so one workspace is enough.
 * It is made when the version is validated, so the first batch after a swap allocates nothing.
 */
public final class ServingModel {
    private final Model model;
    private final String sha256;
    private final WorkerPool pool;
    private final boolean endsInSoftmax;
    private final Workspace workspace;
    private final int maxBatch;

    /** A batch's input buffer and the inference that runs it. */
    public record Workspace(Inference inference, float[] input) {
    }

    /** @param sha256 the hex SHA-256 of the weights (from their record), which classifications carry */
    public ServingModel(Model model, byte[] sha256, WorkerPool pool, int maxBatch) {
        this.model = model;
        this.sha256 = HexFormat.of().formatHex(sha256);
        this.pool = pool;
        this.endsInSoftmax = endsInSoftmax(model);
        this.maxBatch = maxBatch;
        this.workspace = new Workspace(model.network().newInference(pool, maxBatch), new float[maxBatch * model.network().inputShape().size()]);
    }

    public Model model() {
        return model;
    }

    public long version() {
        return model.version();
    }

    public String sha256() {
        return sha256;
    }

    public WorkerPool pool() {
        return pool;
    }

    /** Whether the network's output already is probabilities; otherwise they are logits. */
    public boolean endsInSoftmax() {
        return endsInSoftmax;
    }

    public static boolean endsInSoftmax(Model model) {
        return model.network().layers().getLast() instanceof Softmax;
    }

    /** Where a batch runs; one batch at a time (the inference thread's). */
    public Workspace workspace() {
        return workspace;
    }

    /**
     * Runs one full batch of grey frames twice the input size through the preprocessing (so OpenCV
     * loads and resizes) and the network in the workspace, so the JIT compiles the engine's kernels
     * before real frames wait on them. On the inference thread only, like any batch.
     */
    public void runWarmUpBatch() {
        Image grey = model.preprocessing().greyImage(2);
        int size = model.network().inputShape().size();
        pool.parallelFor(maxBatch, (row, slot) -> model.preprocessing().apply(grey, workspace.input(), row * size));
        workspace.inference().forward(new Tensor(maxBatch, model.network().inputShape(), workspace.input()));
    }

    @Override
    public String toString() {
        return model.name() + " v" + model.version() + " (" + model.network().spec() + ", sha256 " + sha256.substring(0, 12) + "…)";
    }
}
