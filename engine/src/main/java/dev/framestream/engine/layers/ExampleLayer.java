package dev.framestream.engine.layers;

/**
 * A layer computed one example at a time. An example's work is cut into {@link #slices()} pieces
 * that may run on different threads; the network runs whole examples per thread when the batch is
 * large enough, and slices when it is not.
 */
public non-sealed interface ExampleLayer extends Layer {

    /** Pieces one example's forward pass can be cut into; at least 1. */
    default int slices() {
        return 1;
    }

    /** Floats of per-thread scratch {@link #forward} needs. */
    default int scratchFloats() {
        return 0;
    }

    /**
     * Computes slices {@code [firstSlice, endSlice)} of example {@code example}: reads
     * {@code in} from {@code example * inputShape().size()}, writes {@code out} from
     * {@code example * outputShape().size()}.
     *
     * @param scratch at least {@link #scratchFloats()} floats that only this call uses
     */
    void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch);

    /** First element of slice {@code slice} when {@code total} elements are cut into {@code slices}. */
    static int sliceStart(int total, int slices, int slice) {
        return (int) ((long) total * slice / slices);
    }

    /** Runs {@link #forward} on each example of the range, whole. */
    @Override
    default void trainingForward(float[] in, float[] out, int from, int to, long seed, float[] scratch) {
        for (int example = from; example < to; example++) {
            forward(in, out, example, 0, slices(), scratch);
        }
    }

    @Override
    default int trainingScratchFloats(int examples) {
        return scratchFloats();
    }
}
