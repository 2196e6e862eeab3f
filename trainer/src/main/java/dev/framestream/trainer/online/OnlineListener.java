package dev.framestream.trainer.online;

import dev.framestream.schemas.TrainingProgress;

/** What the online trainer reports as it goes: the console and the benchmarks listen. All on the trainer's thread. */
public interface OnlineListener {

    /** Where training starts: the version resumed (0 for none) and the records read back to refill the buffers. */
    default void resumed(long version, long highestVersion, int recordsReadBack) {
    }

    default void stepped(OnlineLearner.StepReport step) {
    }

    default void progress(TrainingProgress progress) {
    }

    default void checkpointed(Checkpoint checkpoint) {
    }
}
