package dev.framestream.trainer.offline;

import dev.framestream.engine.Inference;
import dev.framestream.engine.Network;
import dev.framestream.engine.Tensor;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.training.SoftmaxCrossEntropy;
import dev.framestream.media.Dataset;
import dev.framestream.model.Preprocessing;

/** Mean cross-entropy and accuracy of a network on a dataset, through the serving forward pass. */
public record Evaluation(double loss, double accuracy, int examples) {
    private static final int BATCH = 256;

    public static Evaluation of(Network network, WorkerPool pool, Dataset data, Preprocessing preprocessing) {
        int classes = network.outputShape().size();
        Inference inference = network.newInference(pool, BATCH);
        Tensor batch = Tensor.zeros(BATCH, network.inputShape());
        int size = network.inputShape().size();
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < data.size(); from += BATCH) {
            int count = Math.min(BATCH, data.size() - from);
            for (int i = 0; i < count; i++) {
                preprocessing.apply(data.images().get(from + i), batch.data(), i * size);
            }
            float[] out = inference.forward(new Tensor(count, network.inputShape(), batch.data())).data();
            for (int i = 0; i < count; i++) {
                int label = data.labels()[from + i];
                loss += SoftmaxCrossEntropy.loss(out, i * classes, label);
                correct += SoftmaxCrossEntropy.argmax(out, i * classes, classes) == label ? 1 : 0;
            }
        }
        return new Evaluation(loss / Math.max(1, data.size()), (double) correct / Math.max(1, data.size()), data.size());
    }
}
