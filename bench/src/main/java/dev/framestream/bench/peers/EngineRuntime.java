package dev.framestream.bench.peers;

import java.util.Arrays;

import dev.framestream.engine.Inference;
import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;

/** Our engine: one worker pool of {@code threads} (the caller included) and one inference workspace. */
public final class EngineRuntime implements Runtime {
    /** What {@link #name} starts with. */
    static final String NAME = "framestream";

    private final Network network;
    private final WorkerPool pool;
    private Inference inference;
    private Tensor input;
    private Tensor output;

    public EngineRuntime(Network network, int threads) {
        this.network = network;
        this.pool = new WorkerPool(threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void prepare(float[] values, int batch) {
        inference = network.newInference(pool, batch);
        input = new Tensor(batch, network.inputShape(), values);
    }

    @Override
    public void run() {
        output = inference.forward(input);
    }

    @Override
    public float[] output() {
        return Arrays.copyOf(output.data(), output.size());
    }

    @Override
    public void close() {
        pool.close();
    }
}
