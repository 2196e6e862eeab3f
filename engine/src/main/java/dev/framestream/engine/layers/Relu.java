package dev.framestream.engine.layers;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.tensor.Shape;

/** Rectified linear unit, {@code y = max(x, 0)}; a convolution before it takes it into its store when nothing else reads the convolution. */
public final class Relu extends PointwiseLayer {

    public Relu(String name, Shape shape, Elementwise kernels) {
        super(name, shape, kernels);
    }

    @Override
    public String spec() {
        return "relu";
    }

    @Override
    protected void apply(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        kernels.relu(src, srcOff, dst, dstOff, n);
    }

    /** {@code dx = dy} where the output is positive, else 0 (at exactly 0 the subgradient 0). */
    @Override
    protected void applyBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n) {
        kernels.reluBackward(out, gradOut, gradIn, off, n);
    }
}
