package dev.framestream.engine.kernels;

import java.util.Arrays;

import dev.framestream.engine.tensor.Shape;

/**
 * The gradients of one example's grouped convolution ({@link GroupedConvolution}), computed
 * directly, group by group, over the zero-bordered input: per filter, input channel and tap,
 * {@code dW += Σ dY_row · x_row} ({@link Elementwise#dot}) and {@code dx_row += W · dY_row}
 * ({@link Elementwise#axpy}) at stride 1, element by element at larger strides; {@code db += Σ dY}.
 */
public final class GroupedConvolutionGradients implements ConvolutionBackward {
    private final Elementwise kernels;
    private final PaddedInput padded;
    private final int groups;
    private final int groupChannels;
    private final int groupFilters;
    private final int height;
    private final int width;
    private final int pad;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int stride;
    private final int outHeight;
    private final int outWidth;
    private final float[] weight;

    public GroupedConvolutionGradients(Elementwise kernels, Shape input, int filters, int groups, int kernelHeight, int kernelWidth,
                                       int stride, int pad, int outHeight, int outWidth) {
        this.kernels = kernels;
        this.groups = groups;
        this.groupChannels = input.channels() / groups;
        this.groupFilters = filters / groups;
        this.height = input.height();
        this.width = input.width();
        this.pad = pad;
        this.padded = new PaddedInput(new Shape(groupChannels, height, width), pad);
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.stride = stride;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.weight = new float[filters * groupChannels * kernelHeight * kernelWidth];
    }

    /** One group's bordered input and its gradient. */
    @Override
    public int scratchFloats() {
        return 2 * groupChannels * padded.height() * padded.width();
    }

    /** Keeps a copy of {@code weight} ({@code F x C/G x KH x KW}) for the input gradient. */
    @Override
    public void packWeights(float[] weight) {
        System.arraycopy(weight, 0, this.weight, 0, this.weight.length);
    }

    @Override
    public void backward(float[] in, int inOff, float[] gradOut, int gOff, float[] gradIn, int gInOff,
                         float[] weightGrad, float[] biasGrad, float[] scratch) {
        int outPlane = outHeight * outWidth;
        int paddedWidth = padded.width();
        int paddedPlane = padded.height() * paddedWidth;
        int gradientOff = groupChannels * paddedPlane;
        for (int g = 0; g < groups; g++) {
            int groupIn = inOff + g * groupChannels * height * width;
            float[] source = pad == 0 ? in : scratch;
            int sourceOff = pad == 0 ? groupIn : 0;
            if (pad != 0) {
                padded.source(in, groupIn, scratch, 0);
            }
            if (gradIn != null) {
                Arrays.fill(scratch, gradientOff, gradientOff + groupChannels * paddedPlane, 0f);
            }
            for (int f = g * groupFilters; f < (g + 1) * groupFilters; f++) {
                int dyPlane = gOff + f * outPlane;
                float bias = 0f;
                for (int p = 0; p < outPlane; p++) {
                    bias += gradOut[dyPlane + p];
                }
                biasGrad[f] += bias;
                for (int c = 0; c < groupChannels; c++) {
                    for (int kh = 0; kh < kernelHeight; kh++) {
                        for (int kw = 0; kw < kernelWidth; kw++) {
                            int w = ((f * groupChannels + c) * kernelHeight + kh) * kernelWidth + kw;
                            int tap = c * paddedPlane + kh * paddedWidth + kw;
                            float sum = 0f;
                            for (int oh = 0; oh < outHeight; oh++) {
                                int dy = dyPlane + oh * outWidth;
                                int x = tap + oh * stride * paddedWidth;
                                sum += tapDot(gradOut, dy, source, sourceOff + x);
                                if (gradIn != null) {
                                    tapScatter(gradOut, dy, weight[w], scratch, gradientOff + x);
                                }
                            }
                            weightGrad[w] += sum;
                        }
                    }
                }
            }
            if (gradIn != null) {
                int groupGradIn = gInOff + g * groupChannels * height * width;
                for (int c = 0; c < groupChannels; c++) {
                    for (int h = 0; h < height; h++) {
                        System.arraycopy(scratch, gradientOff + c * paddedPlane + (h + pad) * paddedWidth + pad,
                                gradIn, groupGradIn + (c * height + h) * width, width);
                    }
                }
            }
        }
    }

    /** Σ over an output row of dY times the input under it, every {@code stride}-th value from {@code x}. */
    private float tapDot(float[] gradOut, int dy, float[] source, int x) {
        if (stride == 1) {
            return kernels.dot(gradOut, dy, source, x, outWidth);
        }
        float sum = 0f;
        for (int ow = 0; ow < outWidth; ow++) {
            sum += gradOut[dy + ow] * source[x + ow * stride];
        }
        return sum;
    }

    /** The input gradient's row under an output row, every {@code stride}-th value from {@code x}, += a · dY. */
    private void tapScatter(float[] gradOut, int dy, float a, float[] target, int x) {
        if (stride == 1) {
            kernels.axpy(gradOut, dy, a, target, x, outWidth);
            return;
        }
        for (int ow = 0; ow < outWidth; ow++) {
            target[x + ow * stride] += a * gradOut[dy + ow];
        }
    }
}
