package dev.framestream.engine.spec;

/**
 * An architecture spec that does not parse. The message quotes the spec and marks the bad token:
 * <pre>
 * architecture spec: unknown layer "convv"; expected one of conv, relu, maxpool, ...
 *   in 1x28x28 | convv 8 5x5 | relu
 *                ^^^^^
 * </pre>
 */
public final class SpecParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int position;

    public SpecParseException(String problem, String spec, int position, int length) {
        super("architecture spec: " + problem + "\n  " + spec + "\n  " + " ".repeat(position) + "^".repeat(Math.max(1, length)));
        this.position = position;
    }

    /** Character offset of the bad token in the spec. */
    public int position() {
        return position;
    }
}
