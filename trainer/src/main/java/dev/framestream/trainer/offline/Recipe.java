package dev.framestream.trainer.offline;

import java.util.Locale;
import java.util.Objects;

import dev.framestream.engine.training.LearningRateSchedule;
import dev.framestream.engine.training.OptimizerKind;
import dev.framestream.trainer.data.Augmentation;

/**
 * How to train: everything besides the network and the data. {@link #toString()} is the text the
 * model's training summary keeps, enough to train it again. Made with {@link #builder()}.
 *
 * @param warmupEpochs  epochs of linear warm-up before the schedule
 * @param stepEpochs    with the step schedule, epochs between two decays by {@code gamma}
 * @param clipNorm      largest global gradient norm, 0 for none
 * @param labelSmoothing share of each target spread over all classes, 0 for plain cross-entropy
 * @param patience      stop when the validation loss has not improved for this many epochs, 0 never
 * @param normalise     fit the preprocessing's per-channel mean and std to the training images
 */
public record Recipe(int epochs, int batch, OptimizerKind optimizer, double learningRate, double momentum, double weightDecay,
                     LearningRateSchedule.Kind schedule, double warmupEpochs, double stepEpochs, double gamma, double clipNorm,
                     double labelSmoothing,
                     Augmentation augmentation, int patience, boolean normalise, long seed) {

    public Recipe {
        Objects.requireNonNull(optimizer, "optimizer");
        if (epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("--epochs and --batch must be at least 1, got " + epochs + " and " + batch);
        }
        if (patience < 0 || warmupEpochs < 0) {
            throw new IllegalArgumentException("--patience and --warmup-epochs must not be negative");
        }
    }

    /** A builder with the defaults of {@code framestream train}; name only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** The schedule over {@code stepsPerEpoch · epochs} steps. */
    public LearningRateSchedule scheduleFor(int stepsPerEpoch) {
        long total = (long) stepsPerEpoch * epochs;
        return new LearningRateSchedule(schedule, learningRate, Math.round(warmupEpochs * stepsPerEpoch), total,
                Math.max(1, Math.round(stepEpochs * stepsPerEpoch)), gamma);
    }

    @Override
    public String toString() {
        return String.format("%s lr %s momentum %s decay %s, %s schedule (warm-up %s epochs), batch %d, %d epochs, clip %s,"
                        + " label smoothing %s, shift %s px, rotate %s deg, zoom %s%s, normalise %s, seed %d", optimizer, learningRate, momentum, weightDecay,
                schedule.name().toLowerCase(Locale.ROOT), warmupEpochs, batch, epochs, clipNorm == 0 ? "off" : clipNorm,
                labelSmoothing, augmentation.maxShift(), augmentation.maxDegrees(), augmentation.maxZoom(), augmentation.flips() ? " + flips" : "",
                normalise, seed);
    }

    /**
     * A {@link Recipe} from the defaults of {@code framestream train}'s flags: 10 epochs of batch 32,
     * adamw at lr 0.003 (momentum 0.9), the weight decay {@code auto} picks for the optimiser
     * ({@link OptimizerKind#defaultWeightDecay()}), a cosine schedule after 0.5 epochs of warm-up
     * (step schedule: every 3 epochs by 0.1), clip 5, label smoothing 0.1, shifts of up to 2 px,
     * patience 3, normalised inputs, seed 1. {@link #build()} validates as the record does.
     */
    public static final class Builder {
        private int epochs = 10;
        private int batch = 32;
        private OptimizerKind optimizer = OptimizerKind.ADAMW;
        private double learningRate = 0.003;
        private double momentum = 0.9;
        private Double weightDecay;     // null: the optimiser's default, as --weight-decay auto
        private LearningRateSchedule.Kind schedule = LearningRateSchedule.Kind.COSINE;
        private double warmupEpochs = 0.5;
        private double stepEpochs = 3;
        private double gamma = 0.1;
        private double clipNorm = 5;
        private double labelSmoothing = 0.1;
        private Augmentation augmentation = new Augmentation(2, 0, 0, false);
        private int patience = 3;
        private boolean normalise = true;
        private long seed = 1;

        private Builder() {
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
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

        public Builder schedule(LearningRateSchedule.Kind schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder warmupEpochs(double warmupEpochs) {
            this.warmupEpochs = warmupEpochs;
            return this;
        }

        public Builder stepEpochs(double stepEpochs) {
            this.stepEpochs = stepEpochs;
            return this;
        }

        public Builder gamma(double gamma) {
            this.gamma = gamma;
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

        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        public Builder normalise(boolean normalise) {
            this.normalise = normalise;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Recipe build() {
            Objects.requireNonNull(optimizer, "optimizer");
            return new Recipe(epochs, batch, optimizer, learningRate, momentum, weightDecay != null ? weightDecay : optimizer.defaultWeightDecay(),
                    schedule, warmupEpochs, stepEpochs, gamma, clipNorm, labelSmoothing, augmentation, patience, normalise, seed);
        }
    }
}
