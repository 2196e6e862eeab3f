package dev.framestream.engine.kernels;

import dev.framestream.engine.spec.LayerSpec;
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
 *
 * <p>A 3x3 filter over one channel (MobileNet's depthwise layers) at stride 1 or 2 runs
 * {@link DepthwiseConv#row3x3} instead: the nine taps of an output row summed in registers, the
 * ReLU applied as it is stored (the ReLU6's upper bound just after). Rows narrower than its
 * vectors run as one flat plane ({@link DepthwiseConv#flat3x3}) whose rows are then copied out.
 */
public final class GroupedConvolution implements ConvolutionMethod {
    private final Elementwise kernels;
    private final DepthwiseConv depthwise;
    private final GroupGeometry geometry;
    private final float[] weight;
    private final boolean rows3x3;
    private final boolean flat3x3;           // rows3x3 on rows narrower than the kernel's vectors

    public GroupedConvolution(Elementwise kernels, DepthwiseConv depthwise, Shape input, LayerSpec.Conv conv) {
        this.kernels = kernels;
        this.depthwise = depthwise;
        this.geometry = new GroupGeometry(input, conv);
        this.weight = new float[geometry.weights()];
        this.rows3x3 = geometry.groupChannels == 1 && geometry.kernelHeight == 3 && geometry.kernelWidth == 3 && geometry.stride <= 2;
        this.flat3x3 = rows3x3 && depthwise.prefersFlat(geometry.outWidth);
    }

    @Override
    public String name() {
        return geometry.groupChannels == 1 ? "depthwise" : "grouped";
    }

    @Override
    public int units() {
        return geometry.groups;
    }

    @Override
    public int scratchFloats() {
        return geometry.padded.size() + (flat3x3 ? flatPositions() : 0);
    }

    /** Positions of the flat plane: output rows a padded row apart, the last one only as wide as the output. */
    private int flatPositions() {
        return (geometry.outHeight - 1) * geometry.padded.width() + geometry.outWidth;
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
        int outPlane = geometry.outHeight * geometry.outWidth;
        int paddedPlane = geometry.padded.height() * geometry.padded.width();
        for (int g = first; g < end; g++) {
            int groupIn = inOff + g * geometry.groupChannels * (geometry.height * geometry.width);
            float[] source = geometry.padded.source(in, groupIn, scratch, 0);
            int sourceOff = geometry.padded.offset(groupIn, 0);
            for (int f = g * geometry.groupFilters; f < (g + 1) * geometry.groupFilters; f++) {
                float floor = epilogue.floor();
                if (flat3x3) {
                    // The plane into scratch after the padded input, then its rows without the junk between them.
                    int rowStride = geometry.padded.width();
                    int flatOff = geometry.padded.size();
                    depthwise.flat3x3(source, sourceOff, rowStride, geometry.stride, weight, f * 9, bias[f], scratch, flatOff,
                            flatPositions(), floor);
                    for (int oh = 0; oh < geometry.outHeight; oh++) {
                        System.arraycopy(scratch, flatOff + oh * rowStride, out, outOff + f * outPlane + oh * geometry.outWidth,
                                geometry.outWidth);
                    }
                    clampToSix(out, outOff + f * outPlane, outPlane, epilogue);
                    continue;
                }
                if (rows3x3) {
                    int rowStride = geometry.padded.width();
                    for (int oh = 0; oh < geometry.outHeight; oh++) {
                        depthwise.row3x3(source, sourceOff + oh * geometry.stride * rowStride, rowStride, geometry.stride, weight, f * 9,
                                bias[f], out, outOff + f * outPlane + oh * geometry.outWidth, geometry.outWidth, floor);
                    }
                    clampToSix(out, outOff + f * outPlane, outPlane, epilogue);
                    continue;
                }
                for (int oh = 0; oh < geometry.outHeight; oh++) {
                    int row = outOff + f * outPlane + oh * geometry.outWidth;
                    java.util.Arrays.fill(out, row, row + geometry.outWidth, bias[f]);
                    for (int c = 0; c < geometry.groupChannels; c++) {
                        for (int kh = 0; kh < geometry.kernelHeight; kh++) {
                            int inRow = sourceOff + c * paddedPlane + (oh * geometry.stride + kh) * geometry.padded.width();
                            int w = ((f * geometry.groupChannels + c) * geometry.kernelHeight + kh) * geometry.kernelWidth;
                            for (int kw = 0; kw < geometry.kernelWidth; kw++) {
                                tapRow(source, inRow + kw, weight[w + kw], out, row);
                            }
                        }
                    }
                    if (epilogue == Epilogue.RELU6) {
                        kernels.clip(out, row, out, row, geometry.outWidth, 0f, 6f);
                    } else if (epilogue == Epilogue.RELU) {
                        kernels.relu(out, row, out, row, geometry.outWidth);
                    }
                }
            }
        }
    }

    /*
     * The ReLU6's upper bound over a filter's plane just written with the lower one: the plane is
     * still in cache, where the separate clip layer would read and write it from memory again.
     */
    private void clampToSix(float[] out, int planeOff, int plane, Epilogue epilogue) {
        if (epilogue == Epilogue.RELU6) {
            kernels.clip(out, planeOff, out, planeOff, plane, 0f, 6f);
        }
    }

    /** One output row += a · the input row under it, from {@code from}, every {@code stride}-th value. */
    private void tapRow(float[] source, int from, float a, float[] out, int row) {
        if (geometry.stride == 1) {
            kernels.axpy(source, from, a, out, row, geometry.outWidth);
            return;
        }
        for (int ow = 0; ow < geometry.outWidth; ow++) {
            out[row + ow] += a * source[from + ow * geometry.stride];
        }
    }
}
