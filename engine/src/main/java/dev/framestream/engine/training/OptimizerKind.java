package dev.framestream.engine.training;

import java.util.Locale;

/**
 * The optimisers the command line offers. {@link #toString()} is the lowercase name the flags
 * take and training summaries print ({@code adamw}).
 */
public enum OptimizerKind {
    /** SGD with {@code momentum} and L2 decay. */
    SGD,
    /** SGD with Nesterov momentum and L2 decay. */
    NESTEROV,
    /** Adam with L2 decay; momentum is ignored. */
    ADAM,
    /** Adam with decoupled decay; momentum is ignored. */
    ADAMW;

    /** A fresh optimiser of this kind; {@code momentum} is ignored by the Adams. */
    public Optimizer create(double momentum, double weightDecay) {
        return switch (this) {
            case SGD -> new Sgd(momentum, false, weightDecay);
            case NESTEROV -> new Sgd(momentum, true, weightDecay);
            case ADAM -> Adam.withDecay(weightDecay, false);
            case ADAMW -> Adam.withDecay(weightDecay, true);
        };
    }

    /**
     * The weight decay {@code --weight-decay auto} means: 0.05 for adamw, 0.0005 for the others.
     * Decoupled decay is scaled by the learning rate, so it needs a hundred times the L2
     * coefficient for a like effect.
     */
    public double defaultWeightDecay() {
        return this == ADAMW ? 0.05 : 5e-4;
    }

    /** The name on the command line: {@code sgd}, {@code nesterov}, {@code adam} or {@code adamw}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
