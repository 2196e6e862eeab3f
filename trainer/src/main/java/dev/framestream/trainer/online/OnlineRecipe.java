package dev.framestream.trainer.online;

import dev.framestream.engine.training.Optimizer;
import dev.framestream.engine.training.Optimizers;
import dev.framestream.trainer.data.Augmentation;

/**
 * How the online trainer steps: optimiser, a constant learning rate (a stream has no last epoch
 * to anneal towards), regularisation and augmentation. {@link #toString()} is the recipe a
 * published version's training summary keeps.
 *
 * @param clipNorm       largest global gradient norm, 0 for none
 * @param labelSmoothing share of each target spread over all classes, 0 for plain cross-entropy
 */
public record OnlineRecipe(String optimizer, double learningRate, double momentum, double weightDecay, double clipNorm,
                           double labelSmoothing, Augmentation augmentation, long seed) {

    public OnlineRecipe {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        Optimizers.named(optimizer, momentum, weightDecay);     // fails now, naming the choices, on an unknown optimiser
    }

    /** A fresh optimiser of this recipe: every start and every revert to the champion begins with one. */
    public Optimizer newOptimizer() {
        return Optimizers.named(optimizer, momentum, weightDecay);
    }

    @Override
    public String toString() {
        return String.format("online: %s lr %s momentum %s decay %s, constant rate, clip %s, label smoothing %s,"
                        + " shift %s px, rotate %s deg, zoom %s%s, seed %d", optimizer, learningRate, momentum, weightDecay,
                clipNorm == 0 ? "off" : clipNorm, labelSmoothing, augmentation.maxShift(), augmentation.maxDegrees(),
                augmentation.maxZoom(), augmentation.flips() ? " + flips" : "", seed);
    }
}
