package dev.framestream.engine;

/**
 * The shape of one example, without the batch dimension: channels x height x width (NCHW order).
 * A flat vector of {@code n} features is {@code n x 1 x 1}, which has the same memory layout.
 */
public record Shape(int channels, int height, int width) {

    public Shape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "shape dimensions must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /** A flat vector of {@code features} values. */
    public static Shape flat(int features) {
        return new Shape(features, 1, 1);
    }

    /** Number of floats in one example. */
    public int size() {
        return Math.multiplyExact(Math.multiplyExact(channels, height), width);
    }

    /** True for a vector shape ({@code n x 1 x 1}). */
    public boolean isFlat() {
        return height == 1 && width == 1;
    }

    /** Parses {@code CxHxW} or a single number {@code N} (a flat vector). */
    public static Shape parse(String text) {
        String[] parts = text.trim().split("x", -1);
        try {
            if (parts.length == 1) {
                return flat(Integer.parseInt(parts[0]));
            }
            if (parts.length == 3) {
                return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below, which says what a shape looks like
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a shape; write CxHxW (e.g. 3x64x64) or N");
    }

    @Override
    public String toString() {
        return isFlat() ? Integer.toString(channels) : channels + "x" + height + "x" + width;
    }
}
