package dev.framestream.trainer.online;

import java.time.Duration;

import dev.framestream.schemas.TopicNames;

/**
 * Everything the online trainer does besides the network: its topics, the make-up of a step, the
 * hold-out, when it publishes and how it gates. Made with {@link #builder()}.
 *
 * @param batch             examples per step, fresh and replayed together
 * @param replayShare       share of each step drawn from the replay buffer once it has examples
 * @param replayCapacity    examples the replay buffer (a uniform reservoir of all examples seen) keeps
 * @param holdOutShare      share of frames held out for validation, chosen by camera and sequence
 * @param validationWindow  the most recent held-out frames the gate and the validation figures use
 * @param publishEverySteps a version is judged after this many steps...
 * @param publishEvery      ...or this much time since the last judgement, whichever comes first
 * @param gate              publish only a challenger at least as accurate on the hold-out as the champion
 * @param gateTolerance     accuracy a challenger may lose and still pass (0: not worse at all)
 * @param revertAfter       after this many rejected challengers in a row, training restarts from the champion
 * @param progressEvery     how often a training.progress record is sent
 */
public record OnlineSettings(String labelledTopic, String weightsTopic, String progressTopic, String deadLetterTopic,
                             int batch, double replayShare, int replayCapacity, double holdOutShare, int validationWindow,
                             int publishEverySteps, Duration publishEvery, boolean gate, double gateTolerance, int revertAfter,
                             Duration progressEvery, OnlineRecipe recipe) {
    /** The transaction that holds dead letters until a checkpoint must outlive the time between two checkpoints. */
    public static final Duration LONGEST_PUBLISH_INTERVAL = Duration.ofMinutes(10);

    public OnlineSettings {
        if (batch < 2) {
            throw new IllegalArgumentException("--batch must be at least 2 (fresh and replayed examples share it), got " + batch);
        }
        if (!(replayShare >= 0 && replayShare < 1)) {
            throw new IllegalArgumentException("--replay-share must be in [0, 1): some of every step is fresh, got " + replayShare);
        }
        if (replayCapacity < 0 || validationWindow < 1) {
            throw new IllegalArgumentException("--replay-capacity must be >= 0 and --validation-window >= 1");
        }
        if (!(holdOutShare >= 0 && holdOutShare < 1)) {
            throw new IllegalArgumentException("--hold-out must be in [0, 1), got " + holdOutShare);
        }
        if (gate && holdOutShare == 0) {
            throw new IllegalArgumentException("the gate judges on held-out frames: give --hold-out > 0, or --gate off");
        }
        if (publishEverySteps < 1 || publishEvery.isNegative() || publishEvery.isZero() || publishEvery.compareTo(LONGEST_PUBLISH_INTERVAL) > 0) {
            throw new IllegalArgumentException("--publish-every-steps must be >= 1 and --publish-every-seconds between 1 and "
                    + LONGEST_PUBLISH_INTERVAL.toSeconds() + ", got " + publishEverySteps + " and " + publishEvery.toSeconds());
        }
        if (!(gateTolerance >= 0 && gateTolerance < 1) || revertAfter < 1) {
            throw new IllegalArgumentException("--gate-tolerance must be in [0, 1) and --revert-after >= 1");
        }
    }

    /** A builder with the defaults of {@code framestream train --online} on the default topics; name only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fresh examples per step: the rest of the batch is replayed. */
    public int freshPerStep() {
        return Math.max(1, (int) Math.round(batch * (1 - replayShare)));
    }

    /**
     * An {@link OnlineSettings} from the defaults of {@code framestream train --online}'s flags, on
     * the default topics: batch 32, replay share 0.5 of a 5,000-example buffer, hold-out 0.1 with a
     * validation window of 1,000, a judgement every 200 steps or 30 s, the gate on with tolerance 0,
     * revert after 3 rejections, progress every 5 s, and {@link OnlineRecipe#builder()}'s recipe.
     * {@link #build()} validates as the record does.
     */
    public static final class Builder {
        private String labelledTopic = TopicNames.FRAMES_LABELLED;
        private String weightsTopic = TopicNames.MODEL_WEIGHTS;
        private String progressTopic = TopicNames.TRAINING_PROGRESS;
        private String deadLetterTopic = TopicNames.DEAD_LETTERS;
        private int batch = 32;
        private double replayShare = 0.5;
        private int replayCapacity = 5000;
        private double holdOutShare = 0.1;
        private int validationWindow = 1000;
        private int publishEverySteps = 200;
        private Duration publishEvery = Duration.ofSeconds(30);
        private boolean gate = true;
        private double gateTolerance = 0;
        private int revertAfter = 3;
        private Duration progressEvery = Duration.ofSeconds(5);
        private OnlineRecipe recipe = OnlineRecipe.builder().build();

        private Builder() {
        }

        /** The four topics at once: labelled frames in; weights, progress and dead letters out. */
        public Builder topics(String labelled, String weights, String progress, String deadLetters) {
            this.labelledTopic = labelled;
            this.weightsTopic = weights;
            this.progressTopic = progress;
            this.deadLetterTopic = deadLetters;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder replayShare(double replayShare) {
            this.replayShare = replayShare;
            return this;
        }

        public Builder replayCapacity(int replayCapacity) {
            this.replayCapacity = replayCapacity;
            return this;
        }

        public Builder holdOutShare(double holdOutShare) {
            this.holdOutShare = holdOutShare;
            return this;
        }

        public Builder validationWindow(int validationWindow) {
            this.validationWindow = validationWindow;
            return this;
        }

        public Builder publishEverySteps(int publishEverySteps) {
            this.publishEverySteps = publishEverySteps;
            return this;
        }

        public Builder publishEvery(Duration publishEvery) {
            this.publishEvery = publishEvery;
            return this;
        }

        public Builder gate(boolean gate) {
            this.gate = gate;
            return this;
        }

        public Builder gateTolerance(double gateTolerance) {
            this.gateTolerance = gateTolerance;
            return this;
        }

        public Builder revertAfter(int revertAfter) {
            this.revertAfter = revertAfter;
            return this;
        }

        public Builder progressEvery(Duration progressEvery) {
            this.progressEvery = progressEvery;
            return this;
        }

        public Builder recipe(OnlineRecipe recipe) {
            this.recipe = recipe;
            return this;
        }

        public OnlineSettings build() {
            return new OnlineSettings(labelledTopic, weightsTopic, progressTopic, deadLetterTopic, batch, replayShare, replayCapacity,
                    holdOutShare, validationWindow, publishEverySteps, publishEvery, gate, gateTolerance, revertAfter, progressEvery, recipe);
        }
    }
}
