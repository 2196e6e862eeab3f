package dev.framestream.trainer.online;

import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.model.Preprocessing;
import dev.framestream.trainer.offline.Evaluation;

/**
 * The most recent held-out examples, in a ring: what the validation figures and the gate score
 * on, so both follow the stream as it drifts while champion and challenger meet the same frames.
 */
final class ValidationWindow {
    private final Example[] ring;
    private int next;
    private int size;

    ValidationWindow(int capacity) {
        this.ring = new Example[capacity];
    }

    void add(Example example) {
        ring[next] = example;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    int size() {
        return size;
    }

    /** Scores {@code network} on every example in the window, preprocessed with {@code preprocessing}. */
    Evaluation evaluate(Network network, WorkerPool pool, Preprocessing preprocessing) {
        return Evaluation.of(network, pool, new Evaluation.Examples() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public int label(int index) {
                return ring[index].label();
            }

            @Override
            public void write(int index, float[] out, int offset) {
                preprocessing.applyFramed(ring[index].framed(), out, offset);
            }
        });
    }
}
