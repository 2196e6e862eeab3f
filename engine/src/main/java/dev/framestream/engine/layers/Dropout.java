package dev.framestream.engine.layers;

import dev.framestream.engine.tensor.Shape;

/**
 * Dropout ({@code dropout p}, Srivastava et al. 2014, "inverted" form): in training each value is
 * kept with probability {@code 1 - p} and scaled by {@code 1 / (1 - p)}, else zeroed; at inference
 * it is the identity, so serving needs no rescaling. Shape in = shape out.
 *
 * <p>The mask is a pure function of the step's seed, this layer's name and the value's place in
 * the batch (a counter-based hash, SplitMix64), not of a random stream: backward recomputes
 * exactly the mask forward used without storing it, and the result does not depend on which
 * thread ran which examples.
 */
public final class Dropout implements ExampleLayer {
    private final String name;
    private final Shape shape;
    private final double rate;
    private final float scale;
    private final long salt;

    public Dropout(String name, Shape shape, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.name = name;
        this.shape = shape;
        this.rate = rate;
        this.scale = (float) (1 / (1 - rate));
        this.salt = mix(name.hashCode());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return "dropout " + rate;
    }

    @Override
    public Shape inputShape() {
        return shape;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    /** Inference: the identity. */
    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int size = shape.size();
        System.arraycopy(in, example * size, out, example * size, size);
    }

    @Override
    public void trainingForward(float[] in, float[] out, int from, int to, long seed, float[] scratch) {
        masked(in, out, from, to, seed);
    }

    /** {@code dx = dy · mask / (1 - p)}, with forward's mask. */
    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        if (gradIn != null) {
            masked(gradOut, gradIn, from, to, seed);
        }
    }

    private void masked(float[] src, float[] dst, int from, int to, long seed) {
        long key = seed ^ salt;
        for (int i = from * shape.size(), end = to * shape.size(); i < end; i++) {
            dst[i] = kept(key, i) ? src[i] * scale : 0f;
        }
    }

    /** Whether value {@code index} of the batch survives under {@code key}. */
    boolean kept(long key, int index) {
        double uniform = (mix(key + index * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
        return uniform >= rate;
    }

    /** SplitMix64's finaliser: a bijection that scatters nearby inputs across all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
