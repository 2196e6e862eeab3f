package dev.framestream.engine;

import java.util.ArrayList;
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

    /** Layers {@code [0, end)} of the network on one example: the value layer {@code end - 1} writes (the input at 0). */
    public static double[] forward(Network net, int end, double[] input, int example, DropoutMasks masks) {
        List<LayerSpec> specs = net.spec().layers();
        List<double[]> values = new ArrayList<>(List.of(input));
        for (int l = 0; l < end; l++) {
            String name = net.layers().get(l).name();
            List<double[]> ins = net.inputs(l).stream().map(values::get).toList();
            double[] x = ins.get(0);
            Shape shape = net.layers().get(l).inputShape();
            double[] y = switch (specs.get(l)) {
                case LayerSpec.Conv c -> PlainCnn.conv(x, shape.channels(), shape.height(), shape.width(),
                        net.parameters().get(name + ".weight").values(), net.parameters().get(name + ".bias").values(),
                        c.filters(), c.kernelHeight(), c.kernelWidth(), c.stride(), c.pad());
                case LayerSpec.Pool p -> PlainCnn.pool(x, shape.channels(), shape.height(), shape.width(), p.size(), p.stride(), p.pad(),
                        p.ceil(), p.max());
                case LayerSpec.GlobalAveragePool g -> PlainCnn.globalAveragePool(x, shape.channels());
                case LayerSpec.Dense d -> PlainCnn.dense(x, net.parameters().get(name + ".weight").values(),
                        net.parameters().get(name + ".bias").values(), d.outputs());
                case LayerSpec.Relu r -> PlainCnn.relu(x);
                case LayerSpec.Clip c -> PlainCnn.clip(x, c.min(), c.max());
                case LayerSpec.LeakyRelu leaky -> PlainCnn.leakyRelu(x, leaky.slope());
                case LayerSpec.Sigmoid s -> PlainCnn.sigmoid(x);
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
                case LayerSpec.Add a -> {
                    double[] sum = new double[x.length];
                    for (double[] in : ins) {
                        for (int i = 0; i < sum.length; i++) {
                            sum[i] += in[i];
                        }
                    }
                    yield sum;
                }
                case LayerSpec.Concat c -> {
                    double[] stacked = new double[ins.stream().mapToInt(in -> in.length).sum()];
                    int at = 0;
                    for (double[] in : ins) {
                        System.arraycopy(in, 0, stacked, at, in.length);
                        at += in.length;
                    }
                    yield stacked;
                }
            };
            values.add(y);
        }
        return values.get(end);
    }
}
