package dev.framestream.engine.layers;

import java.util.List;

import dev.framestream.engine.tensor.Shape;

/** The element-wise sum of values of one shape: the join of a residual block. Each input's gradient is the output's. */
public final class Add implements JoinLayer {
    private final String name;
    private final List<Shape> inputs;

    public Add(String name, List<Shape> inputs) {
        if (inputs.size() < 2 || inputs.stream().anyMatch(shape -> !shape.equals(inputs.get(0)))) {
            throw new IllegalArgumentException("layer " + name + " (add) sums values of one shape, but gets " + inputs
                    + "; give the shortcut a 1x1 convolution (with the same stride) to match");
        }
        this.name = name;
        this.inputs = List.copyOf(inputs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return "add";
    }

    @Override
    public List<Shape> inputShapes() {
        return inputs;
    }

    @Override
    public Shape outputShape() {
        return inputs.get(0);
    }

    @Override
    public long flopsPerExample() {
        return (long) (inputs.size() - 1) * inputs.get(0).size();
    }

    @Override
    public void forward(float[][] ins, float[] out, int example) {
        int size = inputs.get(0).size();
        int off = example * size;
        float[] first = ins[0];
        float[] second = ins[1];
        for (int i = off; i < off + size; i++) {
            out[i] = first[i] + second[i];
        }
        for (int k = 2; k < ins.length; k++) {
            float[] more = ins[k];
            for (int i = off; i < off + size; i++) {
                out[i] += more[i];
            }
        }
    }

    @Override
    public void backward(int input, float[] gradOut, float[] gradIn, int from, int to) {
        int size = inputs.get(0).size();
        System.arraycopy(gradOut, from * size, gradIn, from * size, (to - from) * size);
    }
}
