package dev.framestream.engine.layers;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.tensor.Shape;

/**
 * A layer that maps each value on its own (an activation): shape in = shape out, and a backward
 * pass that needs only the output, so training keeps no copy of the input for it.
 */
public abstract sealed class PointwiseLayer implements ExampleLayer permits Relu, Clip, LeakyRelu, Sigmoid {
    /* A slice per 16 K floats keeps the per-slice overhead small next to the memory traffic. */
    private static final int SLICE_FLOATS = 16_384;

    private final String name;
    private final Shape shape;
    private final int slices;
    protected final Elementwise kernels;

    protected PointwiseLayer(String name, Shape shape, Elementwise kernels) {
        this.name = name;
        this.shape = shape;
        this.kernels = kernels;
        this.slices = Math.max(1, Math.min(8, shape.size() / SLICE_FLOATS));
    }

    /** {@code dst[dstOff, dstOff + n) = f(src[srcOff, srcOff + n))}. */
    protected abstract void apply(float[] src, int srcOff, float[] dst, int dstOff, int n);

    /** {@code gradIn = f'(x) · gradOut} over {@code [off, off + n)}, with f'(x) found from the output. */
    protected abstract void applyBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Shape inputShape() {
        return shape;
    }

    @Override
    public final Shape outputShape() {
        return shape;
    }

    @Override
    public final int slices() {
        return slices;
    }

    @Override
    public final void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int size = shape.size();
        int from = ExampleLayer.sliceStart(size, slices, firstSlice);
        int to = ExampleLayer.sliceStart(size, slices, endSlice);
        int off = example * size + from;
        apply(in, off, out, off, to - from);
    }

    @Override
    public final void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                               float[][] gradients, long seed, float[] scratch) {
        if (gradIn != null) {
            applyBackward(out, gradOut, gradIn, from * shape.size(), (to - from) * shape.size());
        }
    }
}
