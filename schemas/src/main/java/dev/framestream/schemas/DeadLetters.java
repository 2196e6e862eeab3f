package dev.framestream.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The one place a {@link DeadLetter} is made: every service and stage that refuses a record calls
 * {@link #of} with a reason code, so the records on {@code frames.dlq}, the logs and the metrics
 * use the same names.
 */
public final class DeadLetters {

    /** Where a refused record came from: a topic position, or {@link #outsideKafka} for, say, a model file. */
    public record Origin(String topic, int partition, long offset) {

        public static Origin outsideKafka(String what) {
            return new Origin(what, -1, -1);
        }

        @Override
        public String toString() {
            return partition < 0 ? topic : topic + "-" + partition + "@" + offset;
        }
    }

    private DeadLetters() {
    }

    /**
     * A dead letter for a record read at {@code origin}, keeping its key and value bytes as they
     * were (either may be null).
     */
    public static DeadLetter of(String service, Origin origin, Reason reason, String message, byte[] key, byte[] value, Instant time) {
        return DeadLetter.newBuilder()
                .setOriginTopic(origin.topic())
                .setOriginPartition(origin.partition())
                .setOriginOffset(origin.offset())
                .setReason(reason)
                .setMessage(message)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setTime(time)
                .setService(service)
                .build();
    }

    /** The refused record's key bytes, or null: the key a dead letter is published under, to keep its camera's order. */
    public static byte[] originalKey(DeadLetter letter) {
        ByteBuffer key = letter.getOriginalKey();
        if (key == null) {
            return null;
        }
        byte[] bytes = new byte[key.remaining()];
        key.duplicate().get(bytes);
        return bytes;
    }

    /** The reason code for bytes that did not decode. */
    public static Reason reasonFor(RecordDecodingException.Problem problem) {
        return switch (problem) {
            case BAD_MAGIC -> Reason.BAD_MAGIC;
            case UNKNOWN_SCHEMA -> Reason.UNKNOWN_SCHEMA;
            case TRUNCATED -> Reason.TRUNCATED;
        };
    }
}
