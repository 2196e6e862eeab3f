package dev.framestream.model;

/**
 * How a model's weights were trained. Figures not measured are NaN.
 *
 * @param dataset where the examples came from
 * @param recipe  optimiser, rate, schedule, augmentation: enough to train it again
 */
public record TrainingSummary(long examplesSeen, double epochs, double trainLoss, double trainAccuracy,
                              double validationLoss, double validationAccuracy, String dataset, String recipe) {

    /** Untrained: nothing seen, nothing measured. */
    public static TrainingSummary none() {
        return new TrainingSummary(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", "");
    }
}
