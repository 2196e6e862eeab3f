package dev.framestream.engine.training;

/**
 * The learning rate at each step: an optional linear warm-up from near zero to {@code base} over
 * {@code warmupSteps}, then constant, step decay (times {@code gamma} every {@code stepEvery}
 * steps) or cosine annealing to zero at {@code totalSteps} (Loshchilov and Hutter 2017, without
 * restarts).
 */
public record LearningRateSchedule(Kind kind, double base, long warmupSteps, long totalSteps, long stepEvery, double gamma) {

    /** How the rate moves after the warm-up. */
    public enum Kind {
        CONSTANT, STEP, COSINE
    }

    public LearningRateSchedule {
        if (!(base > 0) || !Double.isFinite(base)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, got " + base);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("a schedule needs warm-up >= 0 and total >= 1 steps, got " + warmupSteps + " and " + totalSteps);
        }
        if (kind == Kind.STEP && (stepEvery < 1 || !(gamma > 0 && gamma <= 1))) {
            throw new IllegalArgumentException("step decay needs an interval >= 1 step and 0 < gamma <= 1, got " + stepEvery + " and " + gamma);
        }
    }

    /** A constant rate. */
    public static LearningRateSchedule constant(double rate) {
        return new LearningRateSchedule(Kind.CONSTANT, rate, 0, 1, 1, 1);
    }

    /** The rate of step {@code step}, counted from 0. */
    public double rate(long step) {
        if (step < warmupSteps) {
            return base * (step + 1) / (warmupSteps + 1);
        }
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, (step - warmupSteps) / stepEvery);
            case COSINE -> {
                double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
                yield base * 0.5 * (1 + Math.cos(Math.PI * progress));
            }
        };
    }
}
