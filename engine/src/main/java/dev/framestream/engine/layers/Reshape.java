package dev.framestream.engine.layers;

import dev.framestream.engine.tensor.Shape;

/**
 * {@code flatten}: relabels {@code C x H x W} as a vector of {@code C·H·W}. The memory layout is
 * the same, so forward and backward are copies.
 */
public final class Reshape implements ExampleLayer {
    private final String name;
    private final Shape input;
    private final Shape output;

    private Reshape(String name, Shape input, Shape output) {
        this.name = name;
        this.input = input;
        this.output = output;
    }

    /** {@code flatten}: {@code C x H x W} becomes a vector of {@code C·H·W}. */
    public static Reshape flatten(String name, Shape input) {
        return new Reshape(name, input, Shape.flat(input.size()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return "flatten";
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

    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        if (gradIn != null) {
            int size = input.size();
            System.arraycopy(gradOut, from * size, gradIn, from * size, (to - from) * size);
        }
    }
}
