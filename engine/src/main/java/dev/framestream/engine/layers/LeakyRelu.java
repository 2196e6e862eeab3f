package dev.framestream.engine.layers;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/** {@code y = x} for positive x, else {@code slope · x}; the slope is in [0, 1) so the output keeps the input's sign. */
public final class LeakyRelu extends PointwiseLayer {
    private final float slope;

    public LeakyRelu(String name, Shape shape, float slope, Elementwise kernels) {
        super(name, shape, kernels);
        if (!(slope >= 0 && slope < 1)) {
            throw new IllegalArgumentException("leakyrelu " + slope + ": the slope must be in [0, 1)");
        }
        this.slope = slope;
    }

    public float slope() {
        return slope;
    }

    @Override
    public String spec() {
        return new LayerSpec.LeakyRelu(slope).toString();
    }

    @Override
    protected void apply(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        kernels.leakyRelu(src, srcOff, dst, dstOff, n, slope);
    }

    @Override
    protected void applyBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n) {
        kernels.leakyReluBackward(out, gradOut, gradIn, off, n, slope);
    }
}
