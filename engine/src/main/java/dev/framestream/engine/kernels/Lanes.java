package dev.framestream.engine.kernels;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every Vector API kernel uses ({@link VectorWidth}), and the shuffles they share,
 * built for whatever lane count it has. Static finals, so C2 folds them into constants.
 */
final class Lanes {
    static final VectorSpecies<Float> S = VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    /** Floats per vector. */
    static final int L = VectorWidth.FLOATS;
    /** Each lane swapped with its pair neighbour: 1, 0, 3, 2, ... */
    static final VectorShuffle<Float> SWAP_PAIRS = shuffle(i -> i ^ 1);
    /** The even lanes gathered into the low half, and again into the high half: 0, 2, 4, ..., 0, 2, 4, ... */
    static final VectorShuffle<Float> EVENS_TWICE = shuffle(i -> 2 * (i % (L / 2)));
    /** Of two vectors (indices L and up pick from the second): their even lanes, or their odd ones. */
    static final VectorShuffle<Float> EVENS = shuffle(i -> 2 * i);
    static final VectorShuffle<Float> ODDS = shuffle(i -> 2 * i + 1);

    private Lanes() {
    }

    /** The shuffle whose lane i takes source lane {@code source(i)}; indices L to 2L - 1 pick from a second vector. */
    static VectorShuffle<Float> shuffle(java.util.function.IntUnaryOperator source) {
        int[] indices = new int[L];
        for (int i = 0; i < L; i++) {
            indices[i] = source.applyAsInt(i);
        }
        return VectorShuffle.fromArray(S, indices, 0);
    }
}
