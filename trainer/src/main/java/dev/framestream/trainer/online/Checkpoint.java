package dev.framestream.trainer.online;

/**
 * One checkpoint: the transaction that commits the consumed offsets (and the dead letters found
 * since the last one) together with the challenger, if it was published.
 *
 * @param version   the version published, or the champion's (0 for none) when nothing was
 * @param judgement challenger against champion, or null when there was nothing new to judge
 * @param reverted  this rejection sent training back to the champion's weights
 */
public record Checkpoint(Outcome outcome, long version, long step, long consumed, OnlineLearner.Judgement judgement, boolean reverted) {

    public enum Outcome {
        /** The challenger passed the gate and is the new version. */
        PUBLISHED,
        /** The challenger was worse than the champion on the hold-out (or too few frames were held out to tell); offsets committed only. */
        REJECTED,
        /** No step since the champion: offsets committed only. */
        NOTHING_NEW
    }
}
