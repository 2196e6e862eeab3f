package dev.framestream.engine.training;

import java.util.List;

import dev.framestream.engine.layers.Parameter;

/**
 * Adam (Kingma and Ba 2015): per-value step sizes from running means of the gradient and of its
 * square, bias-corrected for their zero start. Weight decay is either L2 (added to the gradient,
 * as in the paper) or decoupled (AdamW, Loshchilov and Hutter 2019: {@code w -= lr·decay·w}
 * beside the Adam step, which regularises better because the decay is not rescaled by the
 * second moment).
 */
public final class Adam implements Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final boolean decoupled;
    private float[][] mean;
    private float[][] square;
    private long steps;
    private float correction1;
    private float correction2;

    public Adam(double beta1, double beta2, double epsilon, double weightDecay, boolean decoupled) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam needs epsilon > 0 and weight decay >= 0, got " + epsilon + " and " + weightDecay);
        }
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.weightDecay = (float) weightDecay;
        this.decoupled = decoupled;
    }

    /** The defaults of the paper: betas 0.9 and 0.999, epsilon 1e-8. */
    public static Adam withDecay(double weightDecay, boolean decoupled) {
        return new Adam(0.9, 0.999, 1e-8, weightDecay, decoupled);
    }

    @Override
    public void attach(List<Parameter> parameters) {
        mean = new float[parameters.size()][];
        square = new float[parameters.size()][];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = new float[parameters.get(i).size()];
            square[i] = new float[parameters.get(i).size()];
        }
    }

    @Override
    public void beginStep() {
        steps++;
        correction1 = (float) (1 - Math.pow(beta1, steps));
        correction2 = (float) (1 - Math.pow(beta2, steps));
    }

    @Override
    public void update(int index, Parameter parameter, float[] gradient, int from, int to, float learningRate, float gradientScale) {
        float[] w = parameter.values();
        float[] m = mean[index];
        float[] s = square[index];
        float decay = Optimizer.decays(parameter) ? weightDecay : 0f;
        float l2 = decoupled ? 0f : decay;
        float shrink = decoupled ? 1f - learningRate * decay : 1f;
        float stepSize = learningRate / correction1;
        float rootCorrection = (float) Math.sqrt(correction2);
        for (int i = from; i < to; i++) {
            float g = gradient[i] * gradientScale + l2 * w[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            s[i] = beta2 * s[i] + (1 - beta2) * g * g;
            w[i] = w[i] * shrink - stepSize * m[i] / ((float) Math.sqrt(s[i]) / rootCorrection + epsilon);
        }
    }

    @Override
    public String toString() {
        return (decoupled ? "adamw" : "adam") + " decay " + weightDecay;
    }
}
