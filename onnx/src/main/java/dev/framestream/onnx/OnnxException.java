package dev.framestream.onnx;

/**
 * An ONNX model the engine cannot take: a file that is not ONNX or breaks its own rules
 * ({@link Kind#MALFORMED}), or a valid model that uses operators or attributes the engine does
 * not have ({@link Kind#UNSUPPORTED}). The message says which, names the nodes, and what to do. An
 * illegal argument, so commands report it as a bad flag value: in one line.
 */
public final class OnnxException extends IllegalArgumentException {

    /** Why the model was refused. */
    public enum Kind {
        MALFORMED,
        UNSUPPORTED
    }

    private final Kind kind;

    public OnnxException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public OnnxException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    static OnnxException malformed(String message) {
        return new OnnxException(Kind.MALFORMED, message);
    }

    static OnnxException unsupported(String message) {
        return new OnnxException(Kind.UNSUPPORTED, message);
    }

    public Kind kind() {
        return kind;
    }
}
