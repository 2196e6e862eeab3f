package dev.framestream.engine.layers;

import dev.framestream.engine.tensor.Shape;

/**
 * Softmax over all values of an example: {@code y_i = exp(x_i - max) / sum_j exp(x_j - max)}.
 * Subtracting the maximum first keeps {@code exp} from overflowing; the result is the same.
 */
public final class Softmax implements ExampleLayer {
    private final String name;
    private final Shape shape;

    public Softmax(String name, Shape shape) {
        this.name = name;
        this.shape = shape;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return "softmax";
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
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int n = shape.size();
        int off = example * n;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, in[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(in[off + i] - max);
            out[off + i] = e;
            sum += e;
        }
        float scale = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            out[off + i] *= scale;
        }
    }

    /**
     * {@code dx_i = y_i (dy_i - sum_j dy_j y_j)}, the softmax Jacobian times dy. Training a
     * classifier never comes here: the loss fuses softmax and cross-entropy, which is both cheaper
     * and stable where {@code y} underflows.
     */
    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        if (gradIn == null) {
            return;
        }
        int n = shape.size();
        for (int off = from * n; off < to * n; off += n) {
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) gradOut[off + i] * out[off + i];
            }
            for (int i = 0; i < n; i++) {
                gradIn[off + i] = (float) (out[off + i] * (gradOut[off + i] - dot));
            }
        }
    }
}
