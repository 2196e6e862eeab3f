package dev.framestream.trainer.online;

import java.time.Duration;

import dev.framestream.schemas.TopicNames;
import dev.framestream.trainer.data.Augmentation;

/**
 * Everything the online trainer does besides the network: its topics, the make-up of a step, the
 * hold-out, when it publishes and how it gates.
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

    /** The defaults of {@code framestream train --online} on the default topics. */
    public static OnlineSettings defaults() {
        return new OnlineSettings(TopicNames.FRAMES_LABELLED, TopicNames.MODEL_WEIGHTS, TopicNames.TRAINING_PROGRESS, TopicNames.DEAD_LETTERS,
                32, 0.5, 5000, 0.1, 1000, 200, Duration.ofSeconds(30), true, 0, 3, Duration.ofSeconds(5),
                new OnlineRecipe("adamw", 1e-3, 0.9, 0.01, 5, 0, Augmentation.none(), 1));
    }

    /** Fresh examples per step: the rest of the batch is replayed. */
    public int freshPerStep() {
        return Math.max(1, (int) Math.round(batch * (1 - replayShare)));
    }

    public OnlineSettings withTopics(String labelled, String weights, String progress, String deadLetters) {
        return new OnlineSettings(labelled, weights, progress, deadLetters, batch, replayShare, replayCapacity, holdOutShare, validationWindow,
                publishEverySteps, publishEvery, gate, gateTolerance, revertAfter, progressEvery, recipe);
    }

    public OnlineSettings withPublishing(int everySteps, Duration every, boolean gated) {
        return new OnlineSettings(labelledTopic, weightsTopic, progressTopic, deadLetterTopic, batch, replayShare, replayCapacity, holdOutShare,
                validationWindow, everySteps, every, gated, gateTolerance, revertAfter, progressEvery, recipe);
    }

    public OnlineSettings withRecipe(OnlineRecipe other) {
        return new OnlineSettings(labelledTopic, weightsTopic, progressTopic, deadLetterTopic, batch, replayShare, replayCapacity, holdOutShare,
                validationWindow, publishEverySteps, publishEvery, gate, gateTolerance, revertAfter, progressEvery, other);
    }
}
