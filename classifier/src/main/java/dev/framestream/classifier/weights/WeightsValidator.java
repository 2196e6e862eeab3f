package dev.framestream.classifier.weights;

import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.engine.Inference;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.model.InvalidModelException;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.model.Preprocessing;
import dev.framestream.schemas.ModelWeights;

/**
 * Decides whether a weights record may serve, away from the stream threads: the checks of
 * {@link ModelFile#fromRecord} (checksum, architecture builds, every tensor present with its
 * shape, every value finite), the same architecture as the version serving now, and a smoke
 * forward pass whose output is finite (and sums to 1 when the network ends in softmax). A version
 * that passes is returned ready to serve, its workspace allocated.
 */
public final class WeightsValidator {
    private final Kernels kernels;
    private final WorkerPool servingPool;
    private final int maxBatch;
    /** The smoke pass runs on the validating thread alone: the serving pool belongs to the inference thread. */
    private final WorkerPool smokePool = new WorkerPool(1);

    /** @param servingPool the engine pool that serving versions run on */
    public WeightsValidator(Kernels kernels, WorkerPool servingPool, int maxBatch) {
        this.kernels = kernels;
        this.servingPool = servingPool;
        this.maxBatch = maxBatch;
    }

    /**
     * The record as a version ready to serve after {@code serving} (null when none serves yet).
     *
     * @throws InvalidModelException saying which check failed
     */
    public ServingModel validate(ModelWeights record, ServingModel serving) {
        Model model = ModelFile.fromRecord(record, kernels);
        if (serving != null) {
            String now = serving.model().network().spec().toString();
            String next = model.network().spec().toString();
            if (!now.equals(next)) {
                throw new InvalidModelException(InvalidModelException.Problem.SHAPE_MISMATCH, name(model) + " has architecture \""
                        + next + "\" but " + serving + " serves \"" + now + "\"; a classifier serves one architecture: "
                        + "start a new classifier (another --application-id) for the new one");
            }
        }
        smokePass(model);
        return new ServingModel(model, record.getSha256().bytes(), servingPool, maxBatch);
    }

    /** One mid-grey frame through the preprocessing and the network. */
    private void smokePass(Model model) {
        Preprocessing preprocessing = model.preprocessing();
        Shape input = model.network().inputShape();
        float[] values = new float[input.size()];
        preprocessing.apply(preprocessing.greyImage(1), values, 0);
        Inference inference = model.network().newInference(smokePool, 1);
        float[] output = inference.forward(new Tensor(1, input, values)).example(0);
        double sum = 0;
        for (int i = 0; i < output.length; i++) {
            if (!Float.isFinite(output[i])) {
                throw new InvalidModelException(InvalidModelException.Problem.NON_FINITE, name(model) + " answers " + output[i]
                        + " for class " + i + " on a grey test frame; its weights overflow, retrain with a lower learning rate");
            }
            sum += output[i];
        }
        if (ServingModel.endsInSoftmax(model) && Math.abs(sum - 1) > 1e-3) {
            throw new InvalidModelException(InvalidModelException.Problem.SHAPE_MISMATCH, name(model)
                    + " ends in softmax but its probabilities on a grey test frame sum to " + sum);
        }
    }

    private static String name(Model model) {
        return model.name() + " v" + model.version();
    }
}
