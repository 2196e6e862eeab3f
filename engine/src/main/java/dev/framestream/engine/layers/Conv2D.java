package dev.framestream.engine.layers;

import java.util.List;

import dev.framestream.engine.kernels.ConvolutionGradients;
import dev.framestream.engine.kernels.ConvolutionMethod;
import dev.framestream.engine.kernels.ConvolutionMethods;
import dev.framestream.engine.kernels.Epilogue;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.tensor.Shape;

/**
 * 2-D convolution with zero padding, stride and bias.
 *
 * <p>Shapes: input {@code C x H x W}, weights {@code F x C x KH x KW}, bias {@code F}, output
 * {@code F x OH x OW} with {@code OH = (H + 2 pad - KH) / stride + 1} (the same for width).
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
    private final Parameter weight;
    private final Parameter bias;
    private final ConvolutionMethod method;
    private final Kernels kernels;
    private ConvolutionGradients gradients;    // built on first training use: serving never needs it
    private final int slices;
    private long version;

    public Conv2D(String name, Shape input, int filters, int kernelHeight, int kernelWidth, int stride, int pad, Kernels kernels) {
        this.name = name;
        this.input = input;
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.stride = stride;
        this.pad = pad;
        int outHeight = (input.height() + 2 * pad - kernelHeight) / stride + 1;
        int outWidth = (input.width() + 2 * pad - kernelWidth) / stride + 1;
        this.output = new Shape(filters, outHeight, outWidth);
        int depth = input.channels() * kernelHeight * kernelWidth;
        this.weight = new Parameter(name + ".weight", new int[] {filters, input.channels(), kernelHeight, kernelWidth},
                new float[filters * depth]);
        this.bias = new Parameter(name + ".bias", new int[] {filters}, new float[filters]);
        this.method = ConvolutionMethods.choose(kernels, input, filters, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth);
        this.kernels = kernels;
        this.slices = Math.min(method.units(), MAX_SLICES);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        String text = "conv " + output.channels() + " " + kernelHeight + "x" + kernelWidth;
        return text + (stride != 1 ? " stride " + stride : "") + (pad != 0 ? " pad " + pad : "");
    }

    @Override
    public Shape inputShape() {
        return input;
    }

    @Override
    public Shape outputShape() {
        return output;
    }

    /** How this layer computes: {@code gemm}, {@code direct} or {@code winograd} ({@code auto} has picked one of them). */
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

    /** Counts changes of the weights, so a folded copy knows when to fold again. */
    public long version() {
        return version;
    }

    /** A convolution of the same geometry and method with weights of its own, zero until set: the base of a folded copy. */
    Conv2D copy(String copyName) {
        return new Conv2D(copyName, input, output.channels(), kernelHeight, kernelWidth, stride, pad, kernels);
    }

    @Override
    public long flopsPerExample() {
        return 2L * output.size() * input.channels() * kernelHeight * kernelWidth;
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
    private ConvolutionGradients gradients() {
        if (gradients == null) {
            gradients = new ConvolutionGradients(kernels, input, output.channels(), kernelHeight, kernelWidth, stride, pad,
                    output.height(), output.width());
        }
        return gradients;
    }
}
