package dev.framestream.engine.layers;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.tensor.Shape;

/** The logistic function {@code y = 1 / (1 + exp(-x))}, whose derivative {@code y (1 - y)} comes from the output. */
public final class Sigmoid extends PointwiseLayer {

    public Sigmoid(String name, Shape shape, Elementwise kernels) {
        super(name, shape, kernels);
    }

    @Override
    public String spec() {
        return "sigmoid";
    }

    @Override
    protected void apply(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        kernels.sigmoid(src, srcOff, dst, dstOff, n);
    }

    @Override
    protected void applyBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n) {
        kernels.sigmoidBackward(out, gradOut, gradIn, off, n);
    }
}
