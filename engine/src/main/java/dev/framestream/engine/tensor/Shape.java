package dev.framestream.engine.tensor;

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

    @Override
    public String toString() {
        return isFlat() ? Integer.toString(channels) : channels + "x" + height + "x" + width;
    }
}
