package dev.framestream.trainer.offline;

/** One epoch's figures: training figures over its steps (with dropout and augmentation), validation after it. */
public record EpochReport(int epoch, double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy,
                          double examplesPerSecond, double seconds, double learningRate, boolean best) {
}
