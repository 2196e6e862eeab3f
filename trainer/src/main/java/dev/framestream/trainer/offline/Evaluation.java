package dev.framestream.trainer.offline;

import dev.framestream.engine.Inference;
import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.engine.training.SoftmaxCrossEntropy;
import dev.framestream.media.Dataset;
import dev.framestream.model.Preprocessing;

/** Mean cross-entropy and accuracy of a network on labelled examples, through the serving forward pass. */
public record Evaluation(double loss, double accuracy, int examples) {
    private static final int BATCH = 256;

    /** Labelled examples to score: each writes itself as network input. */
    public interface Examples {
        int size();

        int label(int index);

        /** Writes example {@code index} as network input into {@code out} from {@code offset}. */
        void write(int index, float[] out, int offset);
    }

    public static Evaluation of(Network network, WorkerPool pool, Dataset data, Preprocessing preprocessing) {
        return of(network, pool, new Examples() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public int label(int index) {
                return data.labels()[index];
            }

            @Override
            public void write(int index, float[] out, int offset) {
                preprocessing.apply(data.images().get(index), out, offset);
            }
        });
    }

    /** Scores {@code network} on {@code examples}, preprocessing each batch in parallel on {@code pool}. */
    public static Evaluation of(Network network, WorkerPool pool, Examples examples) {
        int classes = network.outputShape().size();
        int total = examples.size();
        Inference inference = network.newInference(pool, Math.max(1, Math.min(BATCH, total)));
        Tensor batch = Tensor.zeros(Math.max(1, Math.min(BATCH, total)), network.inputShape());
        int size = network.inputShape().size();
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < total; from += BATCH) {
            int start = from;
            int count = Math.min(BATCH, total - from);
            pool.parallelFor(count, (i, worker) -> examples.write(start + i, batch.data(), i * size));
            float[] out = inference.forward(new Tensor(count, network.inputShape(), batch.data())).data();
            for (int i = 0; i < count; i++) {
                int label = examples.label(from + i);
                loss += SoftmaxCrossEntropy.loss(out, i * classes, label);
                correct += SoftmaxCrossEntropy.argmax(out, i * classes, classes) == label ? 1 : 0;
            }
        }
        return new Evaluation(loss / Math.max(1, total), (double) correct / Math.max(1, total), total);
    }
}
