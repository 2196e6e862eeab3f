package dev.framestream.engine.kernels;

import java.util.Locale;

/**
 * The one vector width of this JVM's kernels, chosen once: the widest the CPU has (512 bits with
 * AVX-512, else 256) unless asked for 256. The packed layouts follow it (a GEMM panel is two
 * vectors wide, a Winograd block one panel of tiles, a direct tile one vector per output row), and
 * the scalar kernels use the same layouts.
 *
 * <p>The system property {@code framestream.vector.bits=256|512|widest} sets it; {@code widest},
 * the default, is 512 where the CPU has 512-bit vectors and 256 elsewhere.
 */
public final class VectorWidth {
    /*
     * One width for every kernel, never two: the Vector API's own methods keep one type profile
     * per JVM, and with two vector classes in it C2 compiles type checks that need the vector as
     * an object, so warm batches allocate.
     *
     * The widest by default: with two 512-bit FMA pipes (Zen 5, Ice Lake server and later) the
     * 512-bit peak is twice the 256-bit one, and ONNX Runtime runs its AVX-512 kernels there. 256
     * stays a choice for CPUs with one 512-bit pipe, where 512-bit vectors add no peak and widen
     * the panels' padding (measurements: docs/benchmarks.md#vector-width).
     */
    /** Bits per vector: 256 or 512. */
    public static final int BITS = choose(System.getProperty("framestream.vector.bits", "widest"));
    /** Floats per vector: 8 or 16. */
    public static final int FLOATS = BITS / Float.SIZE;

    private VectorWidth() {
    }

    static int choose(String requested) {
        int available = VectorSupport.available() ? VectorSupport.preferredBits() : 0;
        return switch (requested.toLowerCase(Locale.ROOT)) {
            case "widest" -> available >= 512 ? 512 : 256;
            case "256" -> 256;
            case "512" -> {
                if (available < 512) {
                    throw new IllegalArgumentException("framestream.vector.bits=512, but this JVM's vectors are "
                            + (available == 0 ? "not available (no jdk.incubator.vector module)" : available + " bits")
                            + "; use widest or 256");
                }
                yield 512;
            }
            default -> throw new IllegalArgumentException("framestream.vector.bits=" + requested
                    + " is not a vector width; use 256, 512 or widest");
        };
    }

    /** The widest vector the Vector API runs natively here, in bits; 0 without the module. */
    static int preferredBits() {
        return VectorSupport.available() ? VectorSupport.preferredBits() : 0;
    }

    /** Keeps the Vector API out of this class's own linkage so a JVM without the module still loads it. */
    private static final class VectorSupport {
        static boolean available() {
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        }

        static int preferredBits() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }
    }
}
