package dev.framestream.classifier.inference;

import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedDeque;

import dev.framestream.engine.Inference;
import dev.framestream.engine.layers.Softmax;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.model.Model;

/**
 * One validated model version, ready to serve: the model, its weights' hash, and a stack of
 * workspaces (an {@link Inference} plus an input buffer, sized for the largest batch) that the
 * threads running batches borrow for one. A network is read-only while it runs, so any number of threads share
 * it; each workspace is used by one thread at a time. Workspaces are made when the version is
 * validated, so the first batch after a swap allocates nothing.
 */
public final class ServingModel {
    private final Model model;
    private final String sha256;
    private final WorkerPool pool;
    private final int maxBatch;
    private final boolean endsInSoftmax;
    private final ConcurrentLinkedDeque<Workspace> idle = new ConcurrentLinkedDeque<>();

    /** A batch's input buffer and the inference that runs it. */
    public record Workspace(Inference inference, float[] input) {
    }

    /**
     * @param sha256 the hex SHA-256 of the weights (from their record), which classifications carry
     * @param workspaces how many to prepare now: the number of stream threads
     */
    public ServingModel(Model model, byte[] sha256, WorkerPool pool, int maxBatch, int workspaces) {
        this.model = model;
        this.sha256 = HexFormat.of().formatHex(sha256);
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.endsInSoftmax = endsInSoftmax(model);
        for (int i = 0; i < workspaces; i++) {
            idle.push(newWorkspace());
        }
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

    /** A workspace for one batch; hand it back with {@link #release}. */
    public Workspace borrow() {
        Workspace workspace = idle.poll();
        return workspace != null ? workspace : newWorkspace();
    }

    public void release(Workspace workspace) {
        idle.push(workspace);
    }

    private Workspace newWorkspace() {
        return new Workspace(model.network().newInference(pool, maxBatch), new float[maxBatch * model.network().inputShape().size()]);
    }

    @Override
    public String toString() {
        return model.name() + " v" + model.version() + " (" + model.network().spec() + ", sha256 " + sha256.substring(0, 12) + "…)";
    }
}
