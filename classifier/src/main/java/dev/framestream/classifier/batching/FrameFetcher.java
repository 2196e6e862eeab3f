package dev.framestream.classifier.batching;

import java.util.Collection;
import java.util.Map;

import dev.framestream.schemas.DeadLetters;

/**
 * Reads frames back from the topic they were consumed from, for batch-store entries restored after
 * a restart or a rebalance (the store keeps positions, not pixels).
 */
@FunctionalInterface
public interface FrameFetcher {

    /**
     * The value bytes of the records at {@code origins}; a record that is no longer there (the
     * topic's retention removed it) is absent from the answer.
     */
    Map<DeadLetters.Origin, byte[]> fetch(Collection<DeadLetters.Origin> origins);
}
