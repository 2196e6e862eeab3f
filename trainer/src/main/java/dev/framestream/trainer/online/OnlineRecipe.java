package dev.framestream.trainer.online;

import java.util.Objects;

import dev.framestream.engine.training.Optimizer;
import dev.framestream.engine.training.OptimizerKind;
import dev.framestream.trainer.data.Augmentation;

/**
 * How the online trainer steps: optimiser, a constant learning rate (a stream has no last epoch
 * to anneal towards), regularisation and augmentation. {@link #toString()} is the recipe a
 * published version's training summary keeps. Made with {@link #builder()}.
 *
 * @param clipNorm       largest global gradient norm, 0 for none
 * @param labelSmoothing share of each target spread over all classes, 0 for plain cross-entropy
 */
public record OnlineRecipe(OptimizerKind optimizer, double learningRate, double momentum, double weightDecay, double clipNorm,
                           double labelSmoothing, Augmentation augmentation, long seed) {

    public OnlineRecipe {
        Objects.requireNonNull(optimizer, "optimizer");
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
    }

    /** A builder with the defaults of {@code framestream train --online}; name only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** A fresh optimiser of this recipe: every start and every revert to the champion begins with one. */
    public Optimizer newOptimizer() {
        return optimizer.create(momentum, weightDecay);
    }

    @Override
    public String toString() {
        return String.format("online: %s lr %s momentum %s decay %s, constant rate, clip %s, label smoothing %s,"
                        + " shift %s px, rotate %s deg, zoom %s%s, seed %d", optimizer, learningRate, momentum, weightDecay,
                clipNorm == 0 ? "off" : clipNorm, labelSmoothing, augmentation.maxShift(), augmentation.maxDegrees(),
                augmentation.maxZoom(), augmentation.flips() ? " + flips" : "", seed);
    }

    /**
     * An {@link OnlineRecipe} from the defaults of {@code framestream train --online}'s flags: adamw
     * at lr 0.003 (momentum 0.9), the weight decay {@code auto} picks for the optimiser
     * ({@link OptimizerKind#defaultWeightDecay()}), clip 5, label smoothing 0.1, shifts of up to
     * 2 px, seed 1. {@link #build()} validates as the record does.
     */
    public static final class Builder {
        private OptimizerKind optimizer = OptimizerKind.ADAMW;
        private double learningRate = 0.003;
        private double momentum = 0.9;
        private Double weightDecay;     // null: the optimiser's default, as --weight-decay auto
        private double clipNorm = 5;
        private double labelSmoothing = 0.1;
        private Augmentation augmentation = new Augmentation(2, 0, 0, false);
        private long seed = 1;

        private Builder() {
        }

        public Builder optimizer(OptimizerKind optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder clipNorm(double clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        public Builder labelSmoothing(double labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public OnlineRecipe build() {
            Objects.requireNonNull(optimizer, "optimizer");
            return new OnlineRecipe(optimizer, learningRate, momentum, weightDecay != null ? weightDecay : optimizer.defaultWeightDecay(),
                    clipNorm, labelSmoothing, augmentation, seed);
        }
    }
}
