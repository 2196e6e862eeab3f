package dev.framestream.engine.kernels;

import dev.framestream.engine.tensor.Shape;

/**
 * A grouped convolution computed directly: the input's C channels and the F filters are cut into
 * G groups, and each filter sees only its group's {@code C / G} channels (depthwise: G = C, each
 * filter one channel, MobileNet's 3x3 layers). A unit is a group.
 *
 * <p>Each output row starts at the bias and gets, per input channel and kernel tap, the tap's
 * weight times a row of the group's zero-bordered input ({@link Elementwise#axpy}, in place along
 * the row at stride 1; element by element at larger strides). The work per output value is
 * {@code C / G · KH · KW} multiply-adds, too few to pay for a lowering into a GEMM.
 */
public final class GroupedConvolution implements ConvolutionMethod {
    private final Elementwise kernels;
    private final PaddedInput padded;
    private final int groups;
    private final int groupChannels;
    private final int groupFilters;
    private final int inputPlane;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int stride;
    private final int outHeight;
    private final int outWidth;
    private final float[] weight;

    public GroupedConvolution(Elementwise kernels, Shape input, int filters, int groups, int kernelHeight, int kernelWidth,
                              int stride, int pad, int outHeight, int outWidth) {
        this.kernels = kernels;
        this.groups = groups;
        this.groupChannels = input.channels() / groups;
        this.groupFilters = filters / groups;
        this.inputPlane = input.height() * input.width();
        this.padded = new PaddedInput(new Shape(groupChannels, input.height(), input.width()), pad);
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.stride = stride;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.weight = new float[filters * groupChannels * kernelHeight * kernelWidth];
    }

    @Override
    public String name() {
        return groupChannels == 1 ? "depthwise" : "grouped";
    }

    @Override
    public int units() {
        return groups;
    }

    @Override
    public int scratchFloats() {
        return padded.size();
    }

    @Override
    public void packWeights(float[] weight) {
        System.arraycopy(weight, 0, this.weight, 0, this.weight.length);
    }

    @Override
    public boolean fuses(Epilogue epilogue) {
        return epilogue != Epilogue.RELU_MAXPOOL;
    }

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue, float[] scratch) {
        int outPlane = outHeight * outWidth;
        int paddedPlane = padded.height() * padded.width();
        for (int g = first; g < end; g++) {
            int groupIn = inOff + g * groupChannels * inputPlane;
            float[] source = padded.source(in, groupIn, scratch, 0);
            int sourceOff = padded.offset(groupIn, 0);
            for (int f = g * groupFilters; f < (g + 1) * groupFilters; f++) {
                for (int oh = 0; oh < outHeight; oh++) {
                    int row = outOff + f * outPlane + oh * outWidth;
                    java.util.Arrays.fill(out, row, row + outWidth, bias[f]);
                    for (int c = 0; c < groupChannels; c++) {
                        for (int kh = 0; kh < kernelHeight; kh++) {
                            int inRow = sourceOff + c * paddedPlane + (oh * stride + kh) * padded.width();
                            int w = ((f * groupChannels + c) * kernelHeight + kh) * kernelWidth;
                            for (int kw = 0; kw < kernelWidth; kw++) {
                                tapRow(source, inRow + kw, weight[w + kw], out, row);
                            }
                        }
                    }
                    if (epilogue == Epilogue.RELU) {
                        kernels.relu(out, row, out, row, outWidth);
                    }
                }
            }
        }
    }

    /** One output row += a · the input row under it, from {@code from}, every {@code stride}-th value. */
    private void tapRow(float[] source, int from, float a, float[] out, int row) {
        if (stride == 1) {
            kernels.axpy(source, from, a, out, row, outWidth);
            return;
        }
        for (int ow = 0; ow < outWidth; ow++) {
            out[row + ow] += a * source[from + ow * stride];
        }
    }
}
