package dev.framestream.model;

import java.util.List;

/**
 * How a model's weights were trained. Figures not measured are NaN.
 *
 * @param dataset      where the examples came from
 * @param recipe       optimiser, rate, schedule, augmentation: enough to train it again
 * @param offsetRanges for online training, the input records consumed since the parent version; empty offline
 */
public record TrainingSummary(long examplesSeen, double epochs, double trainLoss, double trainAccuracy,
                              double validationLoss, double validationAccuracy, String dataset, String recipe,
                              List<OffsetRange> offsetRanges) {

    public TrainingSummary {
        offsetRanges = List.copyOf(offsetRanges);
    }

    /** A summary of offline training, which reads files, not topics. */
    public TrainingSummary(long examplesSeen, double epochs, double trainLoss, double trainAccuracy,
                           double validationLoss, double validationAccuracy, String dataset, String recipe) {
        this(examplesSeen, epochs, trainLoss, trainAccuracy, validationLoss, validationAccuracy, dataset, recipe, List.of());
    }

    /** Untrained: nothing seen, nothing measured. */
    public static TrainingSummary none() {
        return new TrainingSummary(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", "");
    }
}
