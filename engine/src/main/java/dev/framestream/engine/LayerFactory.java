package dev.framestream.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.Add;
import dev.framestream.engine.layers.BatchNorm;
import dev.framestream.engine.layers.Clip;
import dev.framestream.engine.layers.Concat;
import dev.framestream.engine.layers.Conv2D;
import dev.framestream.engine.layers.Dense;
import dev.framestream.engine.layers.Dropout;
import dev.framestream.engine.layers.GlobalAveragePool;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.LeakyRelu;
import dev.framestream.engine.layers.Pool2D;
import dev.framestream.engine.layers.Relu;
import dev.framestream.engine.layers.Reshape;
import dev.framestream.engine.layers.Sigmoid;
import dev.framestream.engine.layers.Softmax;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/** Turns a spec into layers, following the shape from the input through every layer. */
final class LayerFactory {

    private LayerFactory() {
    }

    static List<Layer> layers(ArchitectureSpec spec, Kernels kernels) {
        List<Layer> layers = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        List<Shape> values = new ArrayList<>(List.of(spec.input()));
        for (ArchitectureSpec.Node node : spec.nodes()) {
            LayerSpec layerSpec = node.layer();
            String kind = switch (layerSpec) {
                case LayerSpec.Conv c -> "conv";
                case LayerSpec.Pool p -> p.max() ? "maxpool" : "avgpool";
                case LayerSpec.Dense d -> "fc";
                case LayerSpec.Dropout d -> "dropout";
                case LayerSpec.Relu r -> "relu";
                case LayerSpec.Clip c -> "clip";
                case LayerSpec.LeakyRelu l -> "leakyrelu";
                case LayerSpec.Sigmoid s -> "sigmoid";
                case LayerSpec.GlobalAveragePool g -> "globalavgpool";
                case LayerSpec.BatchNorm b -> "batchnorm";
                case LayerSpec.Flatten f -> "flatten";
                case LayerSpec.Softmax s -> "softmax";
                case LayerSpec.Add a -> "add";
                case LayerSpec.Concat c -> "concat";
            };
            String name = kind + counts.merge(kind, 1, Integer::sum);
            List<Shape> inputs = node.inputs().stream().map(values::get).toList();
            Layer layer = switch (layerSpec) {
                case LayerSpec.Add a -> new Add(name, inputs);
                case LayerSpec.Concat c -> new Concat(name, inputs);
                default -> layer(name, layerSpec, inputs.get(0), kernels);
            };
            layers.add(layer);
            values.add(layer.outputShape());
        }
        return layers;
    }

    private static Layer layer(String name, LayerSpec spec, Shape in, Kernels kernels) {
        return switch (spec) {
            case LayerSpec.Conv c -> {
                fits(name, spec, in, c.kernelHeight() - 2 * c.pad(), c.kernelWidth() - 2 * c.pad());
                yield new Conv2D(name, in, c, kernels);
            }
            case LayerSpec.Pool p -> {
                fits(name, spec, in, p.size() - 2 * p.pad(), p.size() - 2 * p.pad());
                yield new Pool2D(name, p.max() ? Pool2D.Kind.MAX : Pool2D.Kind.AVERAGE, in,
                        new Pool2D.Window(p.size(), p.stride(), p.pad(), p.ceil()), kernels.elementwise());
            }
            case LayerSpec.GlobalAveragePool g -> {
                fits(name, spec, in, 1, 1);
                yield new GlobalAveragePool(name, in, kernels.elementwise());
            }
            case LayerSpec.BatchNorm b -> new BatchNorm(name, in, b.epsilon(), b.momentum(), kernels.elementwise());
            case LayerSpec.Dense d -> new Dense(name, in, d.outputs(), kernels.gemm());
            case LayerSpec.Dropout d -> new Dropout(name, in, d.rate());
            case LayerSpec.Relu r -> new Relu(name, in, kernels.elementwise());
            case LayerSpec.Clip c -> new Clip(name, in, c.min(), c.max(), kernels.elementwise());
            case LayerSpec.LeakyRelu l -> new LeakyRelu(name, in, l.slope(), kernels.elementwise());
            case LayerSpec.Sigmoid s -> new Sigmoid(name, in, kernels.elementwise());
            case LayerSpec.Flatten f -> Reshape.flatten(name, in);
            case LayerSpec.Softmax s -> new Softmax(name, in);
            case LayerSpec.Add a -> throw new IllegalArgumentException("a join is built with its inputs");
            case LayerSpec.Concat c -> throw new IllegalArgumentException("a join is built with its inputs");
        };
    }

    /** A window of {@code height x width} (after padding) must fit in the input's plane. */
    private static void fits(String name, LayerSpec spec, Shape in, int height, int width) {
        if (in.isFlat() && (height > 1 || width > 1)) {
            throw new IllegalArgumentException("layer " + name + " (" + spec + ") needs an image input CxHxW but gets a flat vector "
                    + in + "; move it before flatten/fc");
        }
        if (height > in.height() || width > in.width()) {
            throw new IllegalArgumentException("layer " + name + " (" + spec + ") does not fit its input " + in
                    + ": its window needs at least " + Math.max(height, 1) + "x" + Math.max(width, 1)
                    + "; use a smaller kernel, padding, or fewer pooling layers before it");
        }
    }
}
