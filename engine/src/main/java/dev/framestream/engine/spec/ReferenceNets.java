package dev.framestream.engine.spec;

import java.util.Locale;
import java.util.Optional;

/** The reference networks of docs/design.md, on which benchmarks and accuracy goals are stated. */
public final class ReferenceNets {

    /** Handwritten digits and similar small grey images: 1x28x28, 10 classes. */
    public static final String DIGITS = "in 1x28x28 | conv 8 5x5 | relu | maxpool 2 | conv 16 5x5 | relu | maxpool 2"
            + " | flatten | fc 128 | relu | fc 10 | softmax";

    /** Camera crops: 3x64x64 colour, three 3x3 conv blocks, 10 classes. */
    public static final String CAMERA = "in 3x64x64"
            + " | conv 32 3x3 pad 1 | relu | maxpool 2"
            + " | conv 64 3x3 pad 1 | relu | maxpool 2"
            + " | conv 128 3x3 pad 1 | relu | maxpool 2"
            + " | flatten | fc 256 | relu | fc 10 | softmax";

    private ReferenceNets() {
    }

    /** The spec of reference network {@code name} (case-insensitive), if there is one. */
    public static Optional<ArchitectureSpec> byName(String name) {
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "DIGITS" -> Optional.of(ArchitectureSpec.parse(DIGITS));
            case "CAMERA" -> Optional.of(ArchitectureSpec.parse(CAMERA));
            default -> Optional.empty();
        };
    }
}
