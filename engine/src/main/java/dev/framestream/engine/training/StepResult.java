package dev.framestream.engine.training;

/**
 * What one training step saw: the batch's mean loss before the update, how many of its examples
 * the network already classified right, and the gradient's global L2 norm before clipping.
 */
public record StepResult(int examples, double loss, int correct, double gradientNorm) {

    /** Fraction of the batch classified right, 0 to 1. */
    public double accuracy() {
        return examples == 0 ? 0 : (double) correct / examples;
    }
}
