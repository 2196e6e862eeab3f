package dev.framestream.engine.layers;

import java.util.List;
import java.util.Optional;

import dev.framestream.engine.kernels.BatchLoweredConvolution;
import dev.framestream.engine.kernels.PixelRowsConvolution;
import dev.framestream.engine.kernels.ConvolutionBackward;
import dev.framestream.engine.kernels.ConvolutionChoice;
import dev.framestream.engine.kernels.ConvolutionGradients;
import dev.framestream.engine.kernels.ConvolutionMethod;
import dev.framestream.engine.kernels.ConvolutionMethods;
import dev.framestream.engine.kernels.DirectConvolution;
import dev.framestream.engine.kernels.Epilogue;
import dev.framestream.engine.kernels.GroupedConvolution;
import dev.framestream.engine.kernels.GroupedConvolutionGradients;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * 2-D convolution with zero padding, stride, groups and bias.
 *
 * <p>Shapes: input {@code C x H x W}, weights {@code F x C/G x KH x KW} for G groups, bias
 * {@code F}, output {@code F x OH x OW} with {@code OH = (H + 2 pad - KH) / stride + 1} (the same
 * for width). Filter f sees only the channels of its group, {@code f / (F/G)}; G = C is a
 * depthwise convolution. Grouped convolutions run {@link GroupedConvolution} both ways.
 *
 * <p>Forward runs the {@link ConvolutionMethod} chosen for the shape (im2col + GEMM, direct, or
 * Winograd); a slice is a range of the method's units. Backward ({@link ConvolutionGradients})
 * needs only the forward input: it adds {@code dW += dY · im2col(x)^T} and {@code db += sum dY}
 * and writes {@code dx = col2im(W^T · dY)}.
 */
public final class Conv2D implements ExampleLayer {
    /* Up to this many slices per example: enough for a batch of one to keep 8 threads busy. */
    private static final int MAX_SLICES = 8;

    private final String name;
    private final Shape input;
    private final Shape output;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int stride;
    private final int pad;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;
    private final ConvolutionMethod method;
    private final Kernels kernels;
    private ConvolutionBackward gradients;     // built on first training use: serving never needs it
    private final int slices;
    private long version;

    /** @param geometry filters, kernel, stride, padding and groups; the groups must divide the input's channels */
    public Conv2D(String name, Shape input, LayerSpec.Conv geometry, Kernels kernels) {
        this.name = name;
        this.input = input;
        this.kernelHeight = geometry.kernelHeight();
        this.kernelWidth = geometry.kernelWidth();
        this.stride = geometry.stride();
        this.pad = geometry.pad();
        this.groups = geometry.groups();
        int filters = geometry.filters();
        if (input.channels() % groups != 0 || filters % groups != 0) {
            throw new IllegalArgumentException("layer " + name + " (" + geometry + "): " + groups + " groups must divide both its "
                    + input.channels() + " input channels and its " + filters + " filters");
        }
        int outHeight = (input.height() + 2 * pad - kernelHeight) / stride + 1;
        int outWidth = (input.width() + 2 * pad - kernelWidth) / stride + 1;
        this.output = new Shape(filters, outHeight, outWidth);
        int depth = input.channels() / groups * kernelHeight * kernelWidth;
        this.weight = new Parameter(name + ".weight", new int[] {filters, input.channels() / groups, kernelHeight, kernelWidth},
                new float[filters * depth]);
        this.bias = new Parameter(name + ".bias", new int[] {filters}, new float[filters]);
        this.method = groups == 1
                ? ConvolutionMethods.choose(kernels, input, filters, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth)
                : new GroupedConvolution(kernels.elementwise(), kernels.depthwise(), input, geometry);
        this.kernels = kernels;
        this.slices = Math.min(method.units(), MAX_SLICES);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return geometry().toString();
    }

    /** Filters, kernel, stride, padding and groups, as the spec gives them. */
    public LayerSpec.Conv geometry() {
        return new LayerSpec.Conv(output.channels(), kernelHeight, kernelWidth, stride, pad, groups);
    }

    @Override
    public Shape inputShape() {
        return input;
    }

    @Override
    public Shape outputShape() {
        return output;
    }

    /** How this layer computes: {@code gemm}, {@code direct}, {@code winograd} ({@code auto} has picked one of them), {@code depthwise} or {@code grouped}. */
    public String method() {
        return method.name();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public void parametersChanged() {
        method.packWeights(weight.values());
        version++;
    }

    /** The weights ({@code F x C/G x KH x KW}) as they are now. */
    float[] weightValues() {
        return weight.values();
    }

    /** The bias as it is now. */
    float[] biasValues() {
        return bias.values();
    }

    /** Counts changes of the weights, so a folded copy knows when to fold again. */
    public long version() {
        return version;
    }

    /** A convolution of the same geometry and method with weights of its own, zero until set: the base of a folded copy. */
    Conv2D copy(String copyName) {
        return new Conv2D(copyName, input, geometry(), kernels);
    }

    @Override
    public long flopsPerExample() {
        return 2L * output.size() * input.channels() / groups * kernelHeight * kernelWidth;
    }

    @Override
    public int slices() {
        return slices;
    }

    @Override
    public int scratchFloats() {
        return method.scratchFloats();
    }

    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        forward(in, out, example * output.size(), example, firstSlice, endSlice, Epilogue.NONE, scratch);
    }

    /**
     * This convolution lowered batch-wide ({@link BatchedConvolution}) where that pays: ungrouped,
     * on an output plane small enough that per-example panels would be mostly padding, with the
     * method left to the engine ({@code auto}) and not direct: the direct kernel has no panels to
     * pad, reads the input in place and fuses the pool after it, which the batch GEMM does not.
     */
    Optional<BatchLoweredConvolution> batchLowering() {
        if (groups != 1 || kernels.convolution() != ConvolutionChoice.AUTO || method instanceof DirectConvolution
                || !BatchLoweredConvolution.pays(output.height() * output.width())) {
            return Optional.empty();
        }
        return Optional.of(new BatchLoweredConvolution(kernels.gemm(), input, output.channels(), kernelHeight, kernelWidth, stride, pad,
                output.height(), output.width()));
    }

    /** The batch-wide GEMM with pixels as rows, for the batches {@link #batchLowering}'s panels would leave mostly padding. */
    PixelRowsConvolution pixelRows() {
        return new PixelRowsConvolution(kernels.gemm(), input, output.channels(), kernelHeight, kernelWidth, stride, pad,
                output.height(), output.width());
    }

    /** Whether this layer's method can apply {@code epilogue} as it writes (see {@link FusedConvolution}). */
    public boolean fuses(Epilogue epilogue) {
        return method.fuses(epilogue);
    }

    /** Slices of one example with {@code epilogue} applied; the output, whatever its size, starts at {@code outOff}. */
    void forward(float[] in, float[] out, int outOff, int example, int firstSlice, int endSlice, Epilogue epilogue, float[] scratch) {
        if (!method.fuses(epilogue)) {
            throw new IllegalArgumentException(name + ": the " + method.name() + " convolution cannot apply " + epilogue);
        }
        int units = method.units();
        method.forward(in, example * input.size(), bias.values(), out, outOff,
                ExampleLayer.sliceStart(units, slices, firstSlice), ExampleLayer.sliceStart(units, slices, endSlice), epilogue, scratch);
    }

    @Override
    public int trainingScratchFloats(int examples) {
        return Math.max(method.scratchFloats(), gradients().scratchFloats());
    }

    @Override
    public void prepareBackward() {
        gradients().packWeights(weight.values());
    }

    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] parameterGradients, long seed, float[] scratch) {
        for (int example = from; example < to; example++) {
            gradients().backward(in, example * input.size(), gradOut, example * output.size(),
                    gradIn, example * input.size(), parameterGradients[0], parameterGradients[1], scratch);
        }
    }

    /**
     * The backward kernels with their packed weights and, for a size-keeping layer, a second
     * convolution method (Winograd packs its own transformed weights). Training first asks for them
     * on one thread ({@code trainingScratchFloats}, {@code prepareBackward}) before any parallel
     * backward pass, so the lazy start needs no lock.
     */
    private ConvolutionBackward gradients() {
        if (gradients == null) {
            gradients = groups == 1
                    ? new ConvolutionGradients(kernels, input, output.channels(), kernelHeight, kernelWidth, stride, pad,
                            output.height(), output.width())
                    : new GroupedConvolutionGradients(kernels.elementwise(), input, geometry());
        }
        return gradients;
    }
}
