package dev.framestream.engine.layers;

import dev.framestream.engine.Shape;

/**
 * A layer whose output is its input, unchanged in memory: {@code flatten} (which only relabels
 * {@code C x H x W} as a vector of {@code C·H·W}) and {@code dropout} at inference (which keeps
 * every value; training scales and masks instead).
 */
public final class Reshape implements ExampleLayer {
    private final String name;
    private final String spec;
    private final Shape input;
    private final Shape output;

    private Reshape(String name, String spec, Shape input, Shape output) {
        this.name = name;
        this.spec = spec;
        this.input = input;
        this.output = output;
    }

    /** {@code flatten}: {@code C x H x W} becomes a vector of {@code C·H·W}. */
    public static Reshape flatten(String name, Shape input) {
        return new Reshape(name, "flatten", input, Shape.flat(input.size()));
    }

    /** {@code dropout p}: identity at inference. */
    public static Reshape dropout(String name, Shape input, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        return new Reshape(name, "dropout " + rate, input, input);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Shape inputShape() {
        return input;
    }

    @Override
    public Shape outputShape() {
        return output;
    }

    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int size = input.size();
        System.arraycopy(in, example * size, out, example * size, size);
    }
}
