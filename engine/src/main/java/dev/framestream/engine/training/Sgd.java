package dev.framestream.engine.training;

import java.util.List;

import dev.framestream.engine.layers.Parameter;

/**
 * Stochastic gradient descent with momentum, optionally Nesterov's, and L2 weight decay, in the
 * form PyTorch uses: {@code g = grad + decay·w; v = momentum·v + g; w -= lr·v}, or with Nesterov
 * {@code w -= lr·(g + momentum·v)} (Sutskever et al. 2013). Momentum 0 is plain SGD.
 */
public final class Sgd implements Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private float[][] velocity;

    public Sgd(double momentum, boolean nesterov, double weightDecay) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must not be negative, got " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum above 0");
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    public void attach(List<Parameter> parameters) {
        velocity = new float[parameters.size()][];
        for (int i = 0; i < velocity.length; i++) {
            velocity[i] = new float[parameters.get(i).size()];
        }
    }

    @Override
    public void update(int index, Parameter parameter, float[] gradient, int from, int to, float learningRate, float gradientScale) {
        float[] w = parameter.values();
        float[] v = velocity[index];
        float decay = Optimizer.decays(parameter) ? weightDecay : 0f;
        for (int i = from; i < to; i++) {
            float g = gradient[i] * gradientScale + decay * w[i];
            v[i] = momentum * v[i] + g;
            w[i] -= learningRate * (nesterov ? g + momentum * v[i] : v[i]);
        }
    }

    @Override
    public String toString() {
        return "sgd momentum " + momentum + (nesterov ? " nesterov" : "") + " decay " + weightDecay;
    }
}
