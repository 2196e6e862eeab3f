package dev.framestream.engine.training;

import java.util.List;

import dev.framestream.engine.Network;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.tensor.BufferPlan;

/** Which buffer holds which value's gradient in a training step, so a dead gradient's buffer serves a later one. */
final class GradientPlan {

    private GradientPlan() {
    }

    /**
     * Buffers for the values' gradients over the backward pass: time 0 is the loss, which writes
     * the logits' gradient; layer l's backward runs at time {@code n - l}, reads its output's
     * gradient for the last time and writes its inputs'. The network's input needs none.
     * {@code layers} are the network's, without a final softmax (the loss takes its place).
     */
    static BufferPlan of(Network network, List<Layer> layers) {
        int n = layers.size();
        int[] floats = new int[n + 1];
        int[] born = new int[n + 1];
        int[] lastRead = new int[n + 1];
        born[0] = BufferPlan.PROVIDED;
        for (int v = 1; v <= n; v++) {
            floats[v] = layers.get(v - 1).outputShape().size();
            lastRead[v] = n - (v - 1);
        }
        int[] lastReader = new int[n + 1];
        for (int l = 0; l < n; l++) {
            for (int v : network.inputs(l)) {
                lastReader[v] = Math.max(lastReader[v], l);
            }
        }
        for (int v = 1; v < n; v++) {
            born[v] = n - lastReader[v];
        }
        born[n] = 0;
        return BufferPlan.plan(floats, born, lastRead);
    }
}
