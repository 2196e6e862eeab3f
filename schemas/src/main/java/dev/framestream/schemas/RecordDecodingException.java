package dev.framestream.schemas;

/**
 * Bytes that are not a readable record: what is wrong is in {@link #problem()}, so a service can
 * turn it into a dead letter with the matching reason code.
 */
public final class RecordDecodingException extends RuntimeException {

    /** What is wrong with the bytes. */
    public enum Problem {
        /** Not Avro single-object encoding at all: the first two bytes are not C3 01. */
        BAD_MAGIC,
        /** Single-object encoding of a schema this reader does not know (another record, or an unknown version). */
        UNKNOWN_SCHEMA,
        /** The header is right but the body ends early or does not decode. */
        TRUNCATED
    }

    private final Problem problem;

    public RecordDecodingException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
