package dev.framestream.model;

/** A model file or weights record that cannot be served; {@link #problem()} says why. */
public final class InvalidModelException extends RuntimeException {

    /** Why the model is refused. */
    public enum Problem {
        /** Not a ModelWeights record: wrong magic bytes or schema, cut off, or unreadable. */
        UNREADABLE,
        /** The tensors' SHA-256 does not match the one recorded with them. */
        CHECKSUM_MISMATCH,
        /** The architecture, input shape, tensors or class names do not fit together. */
        SHAPE_MISMATCH,
        /** A weight is NaN or infinite. */
        NON_FINITE
    }

    private final Problem problem;

    public InvalidModelException(Problem problem, String message) {
        this(problem, message, null);
    }

    public InvalidModelException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
