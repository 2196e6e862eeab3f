package dev.framestream.trainer.offline;

import dev.framestream.engine.training.LearningRateSchedule;
import dev.framestream.trainer.data.Augmentation;

/**
 * How to train: everything besides the network and the data. {@link #toString()} is the text the
 * model's training summary keeps, enough to train it again.
 *
 * @param warmupEpochs  epochs of linear warm-up before the schedule
 * @param stepEpochs    with the step schedule, epochs between two decays by {@code gamma}
 * @param clipNorm      largest global gradient norm, 0 for none
 * @param labelSmoothing share of each target spread over all classes, 0 for plain cross-entropy
 * @param patience      stop when the validation loss has not improved for this many epochs, 0 never
 * @param normalise     fit the preprocessing's per-channel mean and std to the training images
 */
public record Recipe(int epochs, int batch, String optimizer, double learningRate, double momentum, double weightDecay,
                     LearningRateSchedule.Kind schedule, double warmupEpochs, double stepEpochs, double gamma, double clipNorm,
                     double labelSmoothing,
                     Augmentation augmentation, int patience, boolean normalise, long seed) {

    public Recipe {
        if (epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("--epochs and --batch must be at least 1, got " + epochs + " and " + batch);
        }
        if (patience < 0 || warmupEpochs < 0) {
            throw new IllegalArgumentException("--patience and --warmup-epochs must not be negative");
        }
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
                schedule.name().toLowerCase(java.util.Locale.ROOT), warmupEpochs, batch, epochs, clipNorm == 0 ? "off" : clipNorm,
                labelSmoothing, augmentation.maxShift(), augmentation.maxDegrees(), augmentation.maxZoom(), augmentation.flips() ? " + flips" : "",
                normalise, seed);
    }
}
