package dev.framestream.engine.layers;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.tensor.Shape;

/** Rectified linear unit, {@code y = max(x, 0)}; shape in = shape out. Backward reads only the output. */
public final class Relu implements ExampleLayer {
    /* A slice per 16 K floats keeps the per-slice overhead small next to the memory traffic. */
    private static final int SLICE_FLOATS = 16_384;

    private final String name;
    private final Shape shape;
    private final Elementwise kernels;
    private final int slices;

    public Relu(String name, Shape shape, Elementwise kernels) {
        this.name = name;
        this.shape = shape;
        this.kernels = kernels;
        this.slices = Math.max(1, Math.min(8, shape.size() / SLICE_FLOATS));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return "relu";
    }

    @Override
    public Shape inputShape() {
        return shape;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public int slices() {
        return slices;
    }

    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int size = shape.size();
        int from = ExampleLayer.sliceStart(size, slices, firstSlice);
        int to = ExampleLayer.sliceStart(size, slices, endSlice);
        int off = example * size + from;
        kernels.relu(in, off, out, off, to - from);
    }

    /** {@code dx = dy} where the output is positive, else 0 (at exactly 0 the subgradient 0). */
    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        if (gradIn == null) {
            return;
        }
        kernels.reluBackward(out, gradOut, gradIn, from * shape.size(), (to - from) * shape.size());
    }
}
