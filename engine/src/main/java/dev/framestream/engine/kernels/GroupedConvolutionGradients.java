package dev.framestream.engine.kernels;

import java.util.Arrays;

import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * The gradients of one example's grouped convolution ({@link GroupedConvolution}), computed
 * directly, group by group, over the zero-bordered input: per filter, input channel and tap,
 * {@code dW += Σ dY_row · x_row} ({@link Elementwise#dot}) and {@code dx_row += W · dY_row}
 * ({@link Elementwise#axpy}) at stride 1, element by element at larger strides; {@code db += Σ dY}.
 */
public final class GroupedConvolutionGradients implements ConvolutionBackward {
    private final Elementwise kernels;
    private final GroupGeometry geometry;
    private final float[] weight;

    public GroupedConvolutionGradients(Elementwise kernels, Shape input, LayerSpec.Conv conv) {
        this.kernels = kernels;
        this.geometry = new GroupGeometry(input, conv);
        this.weight = new float[geometry.weights()];
    }

    /** One group's bordered input and its gradient. */
    @Override
    public int scratchFloats() {
        return 2 * geometry.groupChannels * geometry.padded.height() * geometry.padded.width();
    }

    /** Keeps a copy of {@code weight} ({@code F x C/G x KH x KW}) for the input gradient. */
    @Override
    public void packWeights(float[] weight) {
        System.arraycopy(weight, 0, this.weight, 0, this.weight.length);
    }

    @Override
    public void backward(float[] in, int inOff, float[] gradOut, int gOff, float[] gradIn, int gInOff,
                         float[] weightGrad, float[] biasGrad, float[] scratch) {
        int outPlane = geometry.outHeight * geometry.outWidth;
        int paddedWidth = geometry.padded.width();
        int paddedPlane = geometry.padded.height() * paddedWidth;
        int gradientOff = geometry.groupChannels * paddedPlane;
        for (int g = 0; g < geometry.groups; g++) {
            int groupIn = inOff + g * geometry.groupChannels * geometry.height * geometry.width;
            float[] source = geometry.pad == 0 ? in : scratch;
            int sourceOff = geometry.pad == 0 ? groupIn : 0;
            if (geometry.pad != 0) {
                geometry.padded.source(in, groupIn, scratch, 0);
            }
            if (gradIn != null) {
                Arrays.fill(scratch, gradientOff, gradientOff + geometry.groupChannels * paddedPlane, 0f);
            }
            for (int f = g * geometry.groupFilters; f < (g + 1) * geometry.groupFilters; f++) {
                int dyPlane = gOff + f * outPlane;
                float bias = 0f;
                for (int p = 0; p < outPlane; p++) {
                    bias += gradOut[dyPlane + p];
                }
                biasGrad[f] += bias;
                for (int c = 0; c < geometry.groupChannels; c++) {
                    for (int kh = 0; kh < geometry.kernelHeight; kh++) {
                        for (int kw = 0; kw < geometry.kernelWidth; kw++) {
                            int w = ((f * geometry.groupChannels + c) * geometry.kernelHeight + kh) * geometry.kernelWidth + kw;
                            int tap = c * paddedPlane + kh * paddedWidth + kw;
                            float sum = 0f;
                            for (int oh = 0; oh < geometry.outHeight; oh++) {
                                int dy = dyPlane + oh * geometry.outWidth;
                                int x = tap + oh * geometry.stride * paddedWidth;
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
                int groupGradIn = gInOff + g * geometry.groupChannels * geometry.height * geometry.width;
                for (int c = 0; c < geometry.groupChannels; c++) {
                    for (int h = 0; h < geometry.height; h++) {
                        System.arraycopy(scratch, gradientOff + c * paddedPlane + (h + geometry.pad) * paddedWidth + geometry.pad,
                                gradIn, groupGradIn + (c * geometry.height + h) * geometry.width, geometry.width);
                    }
                }
            }
        }
    }

    /** Σ over an output row of dY times the input under it, every {@code stride}-th value from {@code x}. */
    private float tapDot(float[] gradOut, int dy, float[] source, int x) {
        if (geometry.stride == 1) {
            return kernels.dot(gradOut, dy, source, x, geometry.outWidth);
        }
        float sum = 0f;
        for (int ow = 0; ow < geometry.outWidth; ow++) {
            sum += gradOut[dy + ow] * source[x + ow * geometry.stride];
        }
        return sum;
    }

    /** The input gradient's row under an output row, every {@code stride}-th value from {@code x}, += a · dY. */
    private void tapScatter(float[] gradOut, int dy, float a, float[] target, int x) {
        if (geometry.stride == 1) {
            kernels.axpy(gradOut, dy, a, target, x, geometry.outWidth);
            return;
        }
        for (int ow = 0; ow < geometry.outWidth; ow++) {
            target[x + ow * geometry.stride] += a * gradOut[dy + ow];
        }
    }
}
