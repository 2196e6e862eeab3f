package dev.framestream.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * A CNN: its architecture, its layers and their weights. Weights start at zero; call
 * {@link #initialise(long)} or {@link #setWeights(String, float[])}.
 *
 * <p>A network is read-only while it runs: any number of {@link Inference}s (one per calling
 * thread) may run it at once, as long as nobody changes its weights meanwhile. To serve new
 * weights, build a new network and switch to it between batches.
 */
public final class Network {
    private final ArchitectureSpec spec;
    private final List<Layer> layers;
    private final Map<String, Parameter> parameters;
    private final Kernels kernels;
    private volatile InferencePlan inferencePlan;

    private Network(ArchitectureSpec spec, List<Layer> layers, Kernels kernels) {
        this.spec = spec;
        this.layers = List.copyOf(layers);
        this.kernels = kernels;
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Layer layer : layers) {
            for (Parameter parameter : tensors(layer)) {
                byName.put(parameter.name(), parameter);
            }
        }
        this.parameters = Collections.unmodifiableMap(byName);
    }

    /** Builds the network a spec describes, on the given kernels; shape mistakes name the layer. */
    public static Network build(ArchitectureSpec spec, Kernels kernels) {
        return new Network(spec, LayerFactory.layers(spec, kernels), kernels);
    }

    /** Builds a reference network by name ({@code DIGITS}, {@code CAMERA}) or from spec text, on the best kernels. */
    public static Network build(String nameOrSpec) {
        return build(ArchitectureSpec.of(nameOrSpec), Kernels.best());
    }

    public ArchitectureSpec spec() {
        return spec;
    }

    /** The layers in the order they run; each reads the values {@link #inputs(int)} names. */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The values layer {@code layer} reads: 0 is the network's input, {@code i + 1} the output of
     * layer {@code i}; one value, except for a join. In a chain, layer {@code l} reads value {@code l}.
     */
    public List<Integer> inputs(int layer) {
        return spec.nodes().get(layer).inputs();
    }

    /** Whether each layer reads the one before it ({@link ArchitectureSpec#isChain()}). */
    public boolean isChain() {
        return spec.isChain();
    }

    public Kernels kernels() {
        return kernels;
    }

    public Shape inputShape() {
        return spec.input();
    }

    public Shape outputShape() {
        return layers.isEmpty() ? spec.input() : layers.get(layers.size() - 1).outputShape();
    }

    /**
     * Every tensor of the weights by name ({@code conv1.weight}, {@code fc2.bias}, ...), in layer
     * order: what a model file holds. Each layer's learnable {@link Layer#parameters()} come
     * first, then its {@link Layer#state()} ({@code batchnorm1.running_mean}, ...).
     */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** A copy of one tensor's values. */
    public float[] weights(String name) {
        return parameter(name).values().clone();
    }

    /** Replaces one tensor's values (copied); the length must match its dimensions. */
    public void setWeights(String name, float[] values) {
        Parameter parameter = parameter(name);
        if (values.length != parameter.size()) {
            throw new IllegalArgumentException("weights " + name + " are " + parameter.dimsText() + " = "
                    + parameter.size() + " values, got " + values.length);
        }
        System.arraycopy(values, 0, parameter.values(), 0, values.length);
        layerOf(name).parametersChanged();
    }

    /** Fills every weight with seeded random values (He or Xavier) and every bias with zero. */
    public void initialise(long seed) {
        Initialiser.initialise(layers, seed);
        layers.forEach(Layer::parametersChanged);
    }

    /** Floating-point operations of one example's forward pass. */
    public long flopsPerExample() {
        return layers.stream().mapToLong(Layer::flopsPerExample).sum();
    }

    /** Workspace for one caller to run batches of up to {@code maxBatch} (it grows if asked for more). */
    public Inference newInference(WorkerPool pool, int maxBatch) {
        return new Inference(this, pool, maxBatch);
    }

    /** How inference runs this network: worked out at the first inference, then shared by every one. */
    InferencePlan inferencePlan() {
        InferencePlan plan = inferencePlan;
        if (plan == null) {
            plan = new InferencePlan(this);   // two threads may both compute it; the plans are equal
            inferencePlan = plan;
        }
        return plan;
    }

    private static List<Parameter> tensors(Layer layer) {
        return layer.state().isEmpty() ? layer.parameters()
                : java.util.stream.Stream.concat(layer.parameters().stream(), layer.state().stream()).toList();
    }

    private Parameter parameter(String name) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no weights named \"" + name + "\"; this network has " + parameters.keySet());
        }
        return parameter;
    }

    private Layer layerOf(String parameterName) {
        for (Layer layer : layers) {
            if (tensors(layer).stream().anyMatch(p -> p.name().equals(parameterName))) {
                return layer;
            }
        }
        throw new IllegalStateException("parameter " + parameterName + " belongs to no layer");
    }
}
