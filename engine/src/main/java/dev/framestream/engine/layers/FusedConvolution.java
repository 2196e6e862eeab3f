package dev.framestream.engine.layers;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.framestream.engine.kernels.Epilogue;
import dev.framestream.engine.tensor.Shape;

/**
 * A convolution run together with the ReLU, the ReLU6 (a clip from 0 to 6), or the ReLU and 2x2
 * stride-2 max-pool that follow it:
 * the convolution applies them as it writes its output ({@link Epilogue}), so the activations are
 * written once, a quarter of the size when pooled, instead of being written, read and written
 * again by each layer. Inference only: the network keeps its separate layers, which own the
 * parameters and which training runs one by one.
 */
public final class FusedConvolution implements ExampleLayer {
    private final Conv2D conv;
    private final List<Layer> layers;
    private final Epilogue epilogue;

    private FusedConvolution(List<Layer> layers, Epilogue epilogue) {
        this.conv = (Conv2D) layers.get(0);
        this.layers = List.copyOf(layers);
        this.epilogue = epilogue;
    }

    /**
     * The longest fusion starting at {@code layers.get(at)}: a convolution followed by a ReLU and,
     * if next, a 2x2 stride-2 max-pool, or by a ReLU6, as far as the convolution's method can apply it.
     */
    public static Optional<FusedConvolution> startingAt(List<Layer> layers, int at) {
        if (!(layers.get(at) instanceof Conv2D conv) || at + 1 >= layers.size()) {
            return Optional.empty();
        }
        if (layers.get(at + 1) instanceof Clip clip && clip.min() == 0f && clip.max() == 6f && conv.fuses(Epilogue.RELU6)) {
            return Optional.of(new FusedConvolution(layers.subList(at, at + 2), Epilogue.RELU6));
        }
        if (!(layers.get(at + 1) instanceof Relu)) {
            return Optional.empty();
        }
        if (at + 2 < layers.size() && layers.get(at + 2) instanceof Pool2D pool
                && pool.isPlainMax2x2() && conv.fuses(Epilogue.RELU_MAXPOOL)) {
            return Optional.of(new FusedConvolution(layers.subList(at, at + 3), Epilogue.RELU_MAXPOOL));
        }
        return conv.fuses(Epilogue.RELU) ? Optional.of(new FusedConvolution(layers.subList(at, at + 2), Epilogue.RELU)) : Optional.empty();
    }

    /** How many of the network's layers this one stands for. */
    public int fusedLayers() {
        return layers.size();
    }

    /** The names joined by {@code +}, e.g. {@code conv2+relu2+maxpool2}. */
    @Override
    public String name() {
        return layers.stream().map(Layer::name).collect(Collectors.joining("+"));
    }

    @Override
    public String spec() {
        return layers.stream().map(Layer::spec).collect(Collectors.joining(" | "));
    }

    @Override
    public Shape inputShape() {
        return conv.inputShape();
    }

    @Override
    public Shape outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }

    /** The convolution's, which it owns. */
    @Override
    public List<Parameter> parameters() {
        return conv.parameters();
    }

    @Override
    public long flopsPerExample() {
        return layers.stream().mapToLong(Layer::flopsPerExample).sum();
    }

    @Override
    public int slices() {
        return conv.slices();
    }

    @Override
    public int scratchFloats() {
        return conv.scratchFloats();
    }

    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        conv.forward(in, out, example * outputShape().size(), example, firstSlice, endSlice, epilogue, scratch);
    }

    /** Training runs the network's own layers, not the inference plan's fused steps. */
    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        throw new UnsupportedOperationException(name() + " is an inference step; train the network's layers one by one");
    }
}
