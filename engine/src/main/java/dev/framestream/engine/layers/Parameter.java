package dev.framestream.engine.layers;

import java.util.Arrays;

/**
 * A learnable tensor of a layer: its name ({@code conv1.weight}), its dimensions, and the array
 * that holds its values, shared with the layer (write through {@code Network.setWeights} so the
 * layer's derived forms follow).
 *
 * @param dims for weights of a convolution {@code [filters, channels, kh, kw]}, of a dense layer
 *             {@code [outputs, inputs]}; for biases {@code [n]}
 */
public record Parameter(String name, int[] dims, float[] values) {

    public Parameter {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("parameter " + name + " of dims " + Arrays.toString(dims)
                    + " needs " + size + " values, has " + values.length);
        }
    }

    /** Number of values. */
    public int size() {
        return values.length;
    }

    /** Dimensions as text, e.g. {@code 8x1x5x5}. */
    public String dimsText() {
        StringBuilder text = new StringBuilder();
        for (int d : dims) {
            text.append(text.isEmpty() ? "" : "x").append(d);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return name + "[" + dimsText() + "]";
    }
}
