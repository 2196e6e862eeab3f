package dev.framestream.classifier;

import dev.framestream.schemas.Classification;
import dev.framestream.schemas.DeadLetter;

/**
 * What a step of the topology made of a record; the topology routes each kind to its topic.
 * Values between steps of one task never leave the process, so they need no serde.
 */
public sealed interface Outcome {

    /** A frame that passed validation and waits for its batch. */
    record Accepted(PendingFrame frame) implements Outcome {
    }

    /** A frame's verdict, for {@code classifications}. */
    record Classified(Classification classification) implements Outcome {
    }

    /** A record that cannot be used, for {@code frames.dlq}. */
    record Refused(DeadLetter deadLetter) implements Outcome {
    }
}
