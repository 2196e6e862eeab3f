package dev.framestream.trainer.offline;

import dev.framestream.engine.training.StepResult;

/** What the training loop reports as it goes; the command line draws progress bars from it. */
public interface TrainingListener {

    default void epochStarted(int epoch, int epochs, int steps) {
    }

    /** After each step, with the running figures of the epoch so far. */
    default void stepDone(int step, StepResult result, double runningLoss, double runningAccuracy, double learningRate) {
    }

    default void epochDone(EpochReport report) {
    }
}
