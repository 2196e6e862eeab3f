package dev.framestream.engine.kernels;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * The kernel implementations a network runs with, chosen once per JVM.
 *
 * <p>{@link #best()} takes the Vector API kernels when the {@code jdk.incubator.vector} module is
 * present and vectors are at least 256 bits wide, else the scalar ones. The system property
 * {@code framestream.kernels=scalar|vector4|vector6} overrides the choice (benchmarks, tests), and
 * {@code framestream.conv=auto|gemm|direct|winograd} the convolution method ({@link ConvolutionMethods}).
 *
 * @param convolution how convolutions are computed
 */
public record Kernels(String name, Gemm gemm, Elementwise elementwise, DirectConv directConv, WinogradTransform winograd,
                      DepthwiseConv depthwise, ConvolutionChoice convolution) {

    private static final Kernels BEST = named(System.getProperty("framestream.kernels", "auto"))
            .withConvolution(ConvolutionChoice.parse(System.getProperty("framestream.conv", "auto")));

    public Kernels {
        Objects.requireNonNull(convolution, "convolution");
    }

    /** The fastest kernels this JVM can run. */
    public static Kernels best() {
        return BEST;
    }

    /** The plain scalar kernels. */
    public static Kernels scalar() {
        return new Kernels("scalar", new ScalarGemm(), new ScalarElementwise(), new ScalarDirectConv(), new ScalarWinogradTransform(), new ScalarDepthwiseConv(),
                ConvolutionChoice.AUTO);
    }

    /** The Vector API kernels with row panels of {@code height} (6 or 4). */
    public static Kernels vector(int height) {
        return new Kernels("vector" + height, new VectorGemm(height), new VectorElementwise(), new VectorDirectConv(),
                new VectorWinogradTransform(), new VectorDepthwiseConv(), ConvolutionChoice.AUTO);
    }

    /** The same kernels with convolutions computed as {@code method} asks. */
    public Kernels withConvolution(ConvolutionChoice method) {
        return new Kernels(name, gemm, elementwise, directConv, winograd, depthwise, method);
    }

    /** True when the Vector API can run here at 256 bits or more. */
    public static boolean vectorApiUsable() {
        return VectorWidth.preferredBits() >= 256;
    }

    /**
     * 6-row panels need C2's scheduling before register allocation switched off to run without
     * spilling (see {@link VectorGemm}); with it on, 4-row panels are faster.
     */
    public static int preferredPanelHeight() {
        return vmFlag("OptoRegScheduling").map(on -> on ? 4 : 6).orElse(4);
    }

    private static Optional<Boolean> vmFlag(String name) {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Optional.of(Boolean.parseBoolean(bean.getVMOption(name).getValue()));
        } catch (RuntimeException e) {
            return Optional.empty();   // not HotSpot, or no such flag: keep the safe choice
        }
    }

    /** The kernel set named {@code auto}, {@code scalar}, {@code vector4} or {@code vector6}. */
    public static Kernels named(String requested) {
        return switch (requested.toLowerCase(Locale.ROOT)) {
            case "scalar" -> scalar();
            case "vector4" -> vector(4);
            case "vector6" -> vector(6);
            case "auto" -> vectorApiUsable() ? vector(preferredPanelHeight()) : scalar();
            default -> throw new IllegalArgumentException("framestream.kernels=" + requested
                    + " is not a kernel set; use auto, scalar, vector4 or vector6");
        };
    }
}
