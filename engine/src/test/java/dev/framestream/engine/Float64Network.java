package dev.framestream.engine;

import java.util.List;

import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * Runs a {@link Network}'s spec in float64 through {@link PlainCnn}, reading the network's current
 * weights: the yardstick for finite differences. Dropout multiplies by a given mask (0 or
 * {@code 1/(1-p)} per value) so the same mask as the engine's can be replayed.
 */
public final class Float64Network {

    /** The dropout multipliers of one example for the dropout layer at spec index {@code layer}. */
    public interface DropoutMasks {
        double[] mask(int layer, int example);
    }

    private Float64Network() {
    }

    /** Layers {@code [0, end)} of the network on one example. */
    public static double[] forward(Network net, int end, double[] x, int example, DropoutMasks masks) {
        List<LayerSpec> specs = net.spec().layers();
        Shape shape = net.inputShape();
        for (int l = 0; l < end; l++) {
            String name = net.layers().get(l).name();
            Shape next = net.layers().get(l).outputShape();
            x = switch (specs.get(l)) {
                case LayerSpec.Conv c -> PlainCnn.conv(x, shape.channels(), shape.height(), shape.width(),
                        net.parameters().get(name + ".weight").values(), net.parameters().get(name + ".bias").values(),
                        c.filters(), c.kernelHeight(), c.kernelWidth(), c.stride(), c.pad());
                case LayerSpec.Pool p -> PlainCnn.pool(x, shape.channels(), shape.height(), shape.width(), p.size(), p.stride(), p.max());
                case LayerSpec.Dense d -> PlainCnn.dense(x, net.parameters().get(name + ".weight").values(),
                        net.parameters().get(name + ".bias").values(), d.outputs());
                case LayerSpec.Relu r -> PlainCnn.relu(x);
                case LayerSpec.Softmax s -> PlainCnn.softmax(x);
                case LayerSpec.Flatten f -> x;
                case LayerSpec.Dropout d -> {
                    double[] mask = masks.mask(l, example);
                    double[] out = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        out[i] = x[i] * mask[i];
                    }
                    yield out;
                }
            };
            shape = next;
        }
        return x;
    }
}
