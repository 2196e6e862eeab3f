package dev.framestream.engine.layers;

import java.util.List;

import dev.framestream.engine.tensor.Shape;

/**
 * Values stacked along the channels (a SqueezeNet fire module's expand branches): with NCHW
 * examples laid out one after another, an example's output is its inputs' blocks in order.
 */
public final class Concat implements JoinLayer {
    private final String name;
    private final List<Shape> inputs;
    private final Shape output;
    private final int[] offsets;

    public Concat(String name, List<Shape> inputs) {
        Shape first = inputs.get(0);
        if (inputs.size() < 2 || inputs.stream().anyMatch(s -> s.height() != first.height() || s.width() != first.width())) {
            throw new IllegalArgumentException("layer " + name + " (concat) stacks channels of values with one height and width,"
                    + " but gets " + inputs + "; pool or stride the branches to the same size");
        }
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.output = new Shape(inputs.stream().mapToInt(Shape::channels).sum(), first.height(), first.width());
        this.offsets = new int[inputs.size()];
        for (int k = 1; k < inputs.size(); k++) {
            offsets[k] = offsets[k - 1] + inputs.get(k - 1).size();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return "concat";
    }

    @Override
    public List<Shape> inputShapes() {
        return inputs;
    }

    @Override
    public Shape outputShape() {
        return output;
    }

    @Override
    public void forward(float[][] ins, float[] out, int example) {
        int base = example * output.size();
        for (int k = 0; k < ins.length; k++) {
            int size = inputs.get(k).size();
            System.arraycopy(ins[k], example * size, out, base + offsets[k], size);
        }
    }

    @Override
    public void backward(int input, float[] gradOut, float[] gradIn, int from, int to) {
        int size = inputs.get(input).size();
        for (int e = from; e < to; e++) {
            System.arraycopy(gradOut, e * output.size() + offsets[input], gradIn, e * size, size);
        }
    }
}
