package dev.framestream.engine.layers;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/** {@code y = min(max(x, min), max)}: ReLU6 (MobileNet's activation) is clip 0 6. */
public final class Clip extends PointwiseLayer {
    private final float min;
    private final float max;

    public Clip(String name, Shape shape, float min, float max, Elementwise kernels) {
        super(name, shape, kernels);
        if (!(min < max)) {
            throw new IllegalArgumentException("clip " + min + " " + max + ": the upper bound must be above the lower one");
        }
        this.min = min;
        this.max = max;
    }

    public float min() {
        return min;
    }

    public float max() {
        return max;
    }

    @Override
    public String spec() {
        return new LayerSpec.Clip(min, max).toString();
    }

    @Override
    protected void apply(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        kernels.clip(src, srcOff, dst, dstOff, n, min, max);
    }

    /** The gradient passes where the output is strictly inside the bounds (at a bound, the subgradient 0). */
    @Override
    protected void applyBackward(float[] out, float[] gradOut, float[] gradIn, int off, int n) {
        kernels.clipBackward(out, gradOut, gradIn, off, n, min, max);
    }
}
