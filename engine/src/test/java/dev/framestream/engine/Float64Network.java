package dev.framestream.engine;

import java.util.ArrayList;
import java.util.List;

import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * Runs a {@link Network}'s spec in float64 through {@link PlainCnn}, reading the network's current
 * weights: the yardstick for finite differences. Dropout multiplies by a given mask (0 or
 * {@code 1/(1-p)} per value) so the same mask as the engine's can be replayed; without masks it is
 * the identity, as at inference.
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
        return forward(net, end, new double[][] {input}, example, masks, false)[0];
    }

    /**
     * Layers {@code [0, end)} on a batch whose first example has index {@code firstExample} (for
     * the dropout masks). With {@code batchStatistics}, a batch normalisation normalises by the
     * batch's mean and biased variance, as in training; without, by its running averages.
     */
    public static double[][] forward(Network net, int end, double[][] inputs, int firstExample, DropoutMasks masks,
                                     boolean batchStatistics) {
        List<double[][]> values = new ArrayList<>(List.<double[][]>of(inputs));
        for (int l = 0; l < end; l++) {
            int layer = l;
            List<double[][]> ins = net.inputs(l).stream().map(values::get).toList();
            double[][] out = new double[inputs.length][];
            if (net.spec().layers().get(l) instanceof LayerSpec.BatchNorm norm) {
                out = batchNorm(net, l, ins.get(0), norm.epsilon(), batchStatistics);
            } else {
                for (int e = 0; e < inputs.length; e++) {
                    int example = e;
                    out[e] = one(net, layer, ins.stream().map(v -> v[example]).toList(), firstExample + e, masks);
                }
            }
            values.add(out);
        }
        return values.get(end);
    }

    private static double[][] batchNorm(Network net, int l, double[][] x, float epsilon, boolean batchStatistics) {
        String name = net.layers().get(l).name();
        Shape shape = net.layers().get(l).inputShape();
        int plane = shape.height() * shape.width();
        float[] gamma = net.parameters().get(name + ".weight").values();
        float[] beta = net.parameters().get(name + ".bias").values();
        double[][] out = new double[x.length][x[0].length];
        for (int c = 0; c < shape.channels(); c++) {
            double mean = net.parameters().get(name + ".running_mean").values()[c];
            double variance = net.parameters().get(name + ".running_var").values()[c];
            if (batchStatistics) {
                double sum = 0;
                for (double[] example : x) {
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        sum += example[i];
                    }
                }
                mean = sum / (x.length * plane);
                double squares = 0;
                for (double[] example : x) {
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        squares += (example[i] - mean) * (example[i] - mean);
                    }
                }
                variance = squares / (x.length * plane);
            }
            for (int e = 0; e < x.length; e++) {
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    out[e][i] = gamma[c] * (x[e][i] - mean) / Math.sqrt(variance + epsilon) + beta[c];
                }
            }
        }
        return out;
    }

    private static double[] one(Network net, int l, List<double[]> ins, int example, DropoutMasks masks) {
        List<LayerSpec> specs = net.spec().layers();
        String name = net.layers().get(l).name();
        double[] x = ins.get(0);
        Shape shape = net.layers().get(l).inputShape();
        return switch (specs.get(l)) {
                case LayerSpec.Conv c -> PlainCnn.conv(x, shape.channels(), shape.height(), shape.width(),
                        net.parameters().get(name + ".weight").values(), net.parameters().get(name + ".bias").values(),
                        c.filters(), c.kernelHeight(), c.kernelWidth(), c.stride(), c.pad(), c.groups());
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
                    if (masks == null) {
                        yield x;                  // inference: dropout is the identity
                    }
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
                case LayerSpec.BatchNorm b -> throw new IllegalArgumentException("batch normalisation spans the batch");
        };
    }
}
