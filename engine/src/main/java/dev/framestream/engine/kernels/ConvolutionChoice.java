package dev.framestream.engine.kernels;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a network's convolutions are computed, as {@link Kernels#convolution()} asks and
 * {@link ConvolutionMethods} applies: {@link #AUTO} decides by shape, {@link #GEMM} always lowers,
 * {@link #DIRECT} and {@link #WINOGRAD} use their method wherever it applies and lower elsewhere.
 * Written in lowercase ({@code auto}, {@code gemm}, ...) in flags, properties and benchmark output.
 */
public enum ConvolutionChoice {
    AUTO, GEMM, DIRECT, WINOGRAD;

    /** The lowercase name used in flags, {@code -Dframestream.conv} and benchmark output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@link #label()}, so choices print as users write them. */
    @Override
    public String toString() {
        return label();
    }

    /** The choices' labels: {@code [auto, gemm, direct, winograd]}. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(ConvolutionChoice::label).toList();
    }

    /**
     * The choice written {@code value} in any case, as read from the system property
     * {@code framestream.conv}; a value that names none is an {@link IllegalArgumentException}
     * that lists the choices.
     */
    public static ConvolutionChoice parse(String value) {
        for (ConvolutionChoice choice : values()) {
            if (choice.name().equalsIgnoreCase(value)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("framestream.conv=" + value + " is not a convolution method; use one of " + labels());
    }
}
