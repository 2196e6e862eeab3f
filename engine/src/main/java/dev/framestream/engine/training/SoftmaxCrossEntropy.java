package dev.framestream.engine.training;

/**
 * Softmax and cross-entropy as one loss on the logits {@code z} of an example with true class y:
 * {@code L = logsumexp(z) - z_y}, whose gradient is simply {@code dL/dz = softmax(z) - onehot(y)}.
 *
 * <p>Fusing the two is what makes the loss stable: {@code logsumexp} subtracts the largest logit
 * before exponentiating (no overflow), and the loss never takes the log of a probability that has
 * underflowed to zero, as {@code -log(softmax(z)_y)} would.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /**
     * One example: returns its loss and writes {@code scale · (softmax(z) - target)} to
     * {@code grad} from {@code gradOff}. The target is {@code onehot(label)} smoothed by
     * {@code smoothing} (Szegedy et al. 2016): {@code (1 - smoothing)} on the label and
     * {@code smoothing / classes} spread over all, so the loss is {@code logsumexp(z) - sum t_i z_i}.
     *
     * @param scale the factor of this example in the batch loss, {@code 1 / batch} for the mean
     */
    public static double lossAndGradient(float[] logits, int off, int classes, int label, double smoothing, float scale,
                                         float[] grad, int gradOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < classes; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < classes; i++) {
            sum += Math.exp(logits[off + i] - max);
        }
        double logSumExp = max + Math.log(sum);
        double spread = smoothing / classes;
        double loss = logSumExp;
        for (int i = 0; i < classes; i++) {
            double p = Math.exp(logits[off + i] - logSumExp);
            double target = spread + (i == label ? 1 - smoothing : 0);
            grad[gradOff + i] = (float) (scale * (p - target));
            loss -= target * logits[off + i];
        }
        return loss;
    }

    /** The cross-entropy of a probability vector (a softmax output) for the true class: {@code -log p_label}. */
    public static double loss(float[] probabilities, int off, int label) {
        // The smallest positive float bounds the loss of an underflowed probability at about 103.
        return -Math.log(Math.max(probabilities[off + label], Float.MIN_VALUE));
    }

    /** The index of the largest value among {@code classes} from {@code off}: the predicted class. */
    public static int argmax(float[] values, int off, int classes) {
        int best = 0;
        for (int i = 1; i < classes; i++) {
            if (values[off + i] > values[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
