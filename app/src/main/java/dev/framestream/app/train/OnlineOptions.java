package dev.framestream.app.train;

import java.nio.file.Path;
import java.time.Duration;

import dev.framestream.app.kafka.KafkaOptions;
import dev.framestream.app.metrics.MetricsOptions;
import dev.framestream.schemas.TopicNames;
import dev.framestream.trainer.online.OnlineRecipe;
import dev.framestream.trainer.online.OnlineSettings;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags of {@code framestream train --online}: where to read and publish, the make-up of a step, the hold-out and the gate. */
final class OnlineOptions {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--labelled-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_LABELLED_TOPIC:-" + TopicNames.FRAMES_LABELLED + "}",
            description = "Online: the labelled frames to learn from (default: ${DEFAULT-VALUE}).")
    String labelledTopic;

    @Option(names = "--weights-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_WEIGHTS_TOPIC:-" + TopicNames.MODEL_WEIGHTS + "}",
            description = "Online: where versions are published, and resumed from (default: ${DEFAULT-VALUE}).")
    String weightsTopic;

    @Option(names = "--progress-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_PROGRESS_TOPIC:-" + TopicNames.TRAINING_PROGRESS + "}",
            description = "Online: where progress reports go (default: ${DEFAULT-VALUE}).")
    String progressTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", defaultValue = "${env:FRAMESTREAM_DEAD_LETTER_TOPIC:-" + TopicNames.DEAD_LETTERS + "}",
            description = "Online: where unusable records go, with the reason (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--replay-share", paramLabel = "FRACTION", defaultValue = "${env:FRAMESTREAM_REPLAY_SHARE:-0.5}",
            description = "Online: share of every step replayed from earlier frames, so a long run of one camera or class does not"
                    + " erase the rest (default: ${DEFAULT-VALUE}).")
    double replayShare;

    @Option(names = "--replay-capacity", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_REPLAY_CAPACITY:-5000}",
            description = "Online: frames the replay buffer keeps, a uniform sample of all seen (default: ${DEFAULT-VALUE}).")
    int replayCapacity;

    @Option(names = "--hold-out", paramLabel = "FRACTION", defaultValue = "${env:FRAMESTREAM_HOLD_OUT:-0.1}",
            description = "Online: share of frames never trained on, chosen by a hash of camera and sequence, for validation and"
                    + " the gate (default: ${DEFAULT-VALUE}).")
    double holdOut;

    @Option(names = "--validation-window", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_VALIDATION_WINDOW:-1000}",
            description = "Online: the most recent held-out frames the gate scores on (default: ${DEFAULT-VALUE}).")
    int validationWindow;

    @Option(names = "--publish-every-steps", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_PUBLISH_EVERY_STEPS:-200}",
            description = "Online: judge the challenger and commit after this many steps... (default: ${DEFAULT-VALUE})")
    int publishEverySteps;

    @Option(names = "--publish-every-seconds", paramLabel = "S", defaultValue = "${env:FRAMESTREAM_PUBLISH_EVERY_SECONDS:-30}",
            description = "Online: ...or this many seconds, whichever comes first (1 to 600; default: ${DEFAULT-VALUE}).")
    long publishEverySeconds;

    @Option(names = "--gate", paramLabel = "on|off", defaultValue = "${env:FRAMESTREAM_GATE:-on}",
            description = "Online: publish a challenger only if it is at least as accurate on the held-out frames as the last"
                    + " version (default: ${DEFAULT-VALUE}).")
    String gate;

    @Option(names = "--gate-tolerance", paramLabel = "FRACTION", defaultValue = "${env:FRAMESTREAM_GATE_TOLERANCE:-0}",
            description = "Online: accuracy a challenger may lose and still pass, e.g. 0.01 (default: ${DEFAULT-VALUE}).")
    double gateTolerance;

    @Option(names = "--revert-after", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_REVERT_AFTER:-3}",
            description = "Online: after N rejected challengers in a row, go on training from the last version (default: ${DEFAULT-VALUE}).")
    int revertAfter;

    @Option(names = "--progress-every-seconds", paramLabel = "S", defaultValue = "${env:FRAMESTREAM_PROGRESS_EVERY_SECONDS:-5}",
            description = "Online: how often a progress record and console line are made (default: ${DEFAULT-VALUE}).")
    long progressEverySeconds;

    @Option(names = "--signing-key", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_SIGNING_KEY}",
            description = "Online: sign every published version with this Ed25519 private key (framestream keys create), for"
                    + " classifiers started with --verify-key.")
    Path signingKey;

    @Mixin
    MetricsOptions metrics;

    OnlineSettings settings(int batch, OnlineRecipe recipe) {
        boolean gated = switch (gate.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("--gate takes on or off, got \"" + gate + "\"");
        };
        return OnlineSettings.builder()
                .topics(labelledTopic, weightsTopic, progressTopic, deadLetterTopic)
                .batch(batch)
                .replayShare(replayShare)
                .replayCapacity(replayCapacity)
                .holdOutShare(holdOut)
                .validationWindow(validationWindow)
                .publishEverySteps(publishEverySteps)
                .publishEvery(Duration.ofSeconds(publishEverySeconds))
                .gate(gated)
                .gateTolerance(gateTolerance)
                .revertAfter(revertAfter)
                .progressEvery(Duration.ofSeconds(Math.max(1, progressEverySeconds)))
                .recipe(recipe)
                .build();
    }
}
