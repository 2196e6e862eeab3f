package dev.framestream.engine.layers;

import dev.framestream.engine.parallel.WorkerPool;

/** A layer computed over the whole batch at once, parallel within the layer. */
public non-sealed interface BatchLayer extends Layer {

    /** Floats of scratch shared by the whole batch's computation for up to {@code maxBatch} examples. */
    int scratchFloats(int maxBatch);

    /**
     * Computes examples {@code [0, batch)}: {@code in} and {@code out} hold the examples one after
     * another; {@code scratch} belongs to this call alone.
     */
    void forward(float[] in, float[] out, int batch, float[] scratch, WorkerPool pool);
}
