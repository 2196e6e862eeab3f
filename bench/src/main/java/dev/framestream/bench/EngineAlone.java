package dev.framestream.bench;

import java.util.List;

import dev.framestream.bench.peers.TimedRuns;
import dev.framestream.engine.Inference;
import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.media.Image;
import dev.framestream.model.Model;

/**
 * The engine alone, as {@code bench pipeline} compares the classifier with: batches of the
 * classifier's {@code --max-batch} (the size it fills when busy), its pool size, on the same
 * pictures, preprocessed as the classifier does. Its own pool and buffers live for the whole
 * bench; its workers park while the classifier runs.
 */
final class EngineAlone implements AutoCloseable {
    private final WorkerPool pool;
    private final Inference inference;
    private final Tensor input;
    private final int batch;

    EngineAlone(Network network, Model model, List<Image> pictures, int threads, int batch) {
        this.pool = new WorkerPool(threads);
        this.inference = network.newInference(pool, batch);
        this.input = Tensor.zeros(batch, network.inputShape());
        this.batch = batch;
        int size = network.inputShape().size();
        for (int i = 0; i < batch; i++) {
            model.preprocessing().apply(pictures.get(i % pictures.size()), input.data(), i * size);
        }
        TimedRuns.measure(() -> inference.forward(input), 1, 0, 1);      // the JIT compiles the kernels once
    }

    /** Frames/s over about {@code seconds} of back-to-back batches. */
    double framesPerSecond(double seconds) {
        TimedRuns runs = TimedRuns.measure(() -> inference.forward(input), 0, seconds, 3);
        return runs.count() * (double) batch / runs.seconds();
    }

    @Override
    public void close() {
        pool.close();
    }
}
