package dev.framestream.engine.training;

import java.util.List;
import java.util.Locale;

/** Optimisers by the names the command line uses. */
public final class Optimizers {

    /** The names {@link #named} accepts. */
    public static final List<String> NAMES = List.of("sgd", "nesterov", "adam", "adamw");

    private Optimizers() {
    }

    /**
     * {@code sgd} (with {@code momentum}), {@code nesterov} (SGD with Nesterov momentum), {@code adam}
     * (L2 decay) or {@code adamw} (decoupled decay); {@code momentum} is ignored by the Adams.
     */
    public static Optimizer named(String name, double momentum, double weightDecay) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd(momentum, false, weightDecay);
            case "nesterov" -> new Sgd(momentum, true, weightDecay);
            case "adam" -> Adam.withDecay(weightDecay, false);
            case "adamw" -> Adam.withDecay(weightDecay, true);
            default -> throw new IllegalArgumentException("optimizer \"" + name + "\" is unknown; use one of " + NAMES);
        };
    }
}
