package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import dev.framestream.engine.tensor.Shape;

/**
 * Convolution as a GEMM per example: weights ({@code F x C·KH·KW}, packed once in row panels)
 * times the im2col lowering of the input ({@code C·KH·KW x OH·OW}, written a panel of output
 * pixels at a time straight into the packed layout). A unit is one panel: its GEMM fills an
 * F x panel tile in scratch, from which the bias and the {@link Epilogue} go into the output.
 *
 * <p>A 1x1 convolution at stride 1 without padding is a plain GEMM, weights times the input's
 * {@code C x H·W} matrix as it lies: its panels are packed straight from the input with no
 * lowering.
 *
 * <p>It fuses a following ReLU or ReLU6 and, where the output's rows pair up and its width is a multiple
 * of a vector, ReLU plus 2x2 max-pool: the panels are then cut as row pairs ({@link Im2colPanels}),
 * a vector of pixels and the one below it, whose pooled values leave the tile in one store per filter.
 */
public final class LoweredConvolution implements ConvolutionMethod {
    private final Gemm gemm;
    private final Elementwise elementwise;
    private final PaddedInput padded;
    private final Im2colPanels lowering;
    private final Im2colPanels rowPairs;     // null where the output does not pool in row pairs
    private final RowPanels rowPanels;
    private final float[] packedWeight;
    private final int depth;
    private final int pixels;
    private final int filters;
    private final int outWidth;
    private final int pooledPlane;
    private final boolean pointwise;         // 1x1, stride 1, no padding: B is the input itself

    public LoweredConvolution(Gemm gemm, Elementwise elementwise, Shape input, int filters, int kernelHeight, int kernelWidth, int stride,
                              int pad, int outHeight, int outWidth) {
        this.gemm = gemm;
        this.elementwise = elementwise;
        this.filters = filters;
        this.padded = new PaddedInput(input, pad);
        this.lowering = new Im2colPanels(elementwise, input.channels(), padded, kernelHeight, kernelWidth, stride, outHeight, outWidth,
                false);
        this.rowPairs = Im2colPanels.rowPairsApply(outHeight, outWidth)
                ? new Im2colPanels(elementwise, input.channels(), padded, kernelHeight, kernelWidth, stride, outHeight, outWidth, true)
                : null;
        this.depth = input.channels() * kernelHeight * kernelWidth;
        this.rowPanels = new RowPanels(filters, gemm.mainPanelHeight());
        this.packedWeight = new float[rowPanels.packedSize(depth)];
        this.pixels = outHeight * outWidth;
        this.outWidth = outWidth;
        this.pooledPlane = pixels / 4;
        this.pointwise = kernelHeight == 1 && kernelWidth == 1 && stride == 1 && pad == 0;
    }

    @Override
    public String name() {
        return "gemm";
    }

    /** Panels of pixels; row pairs are as many. */
    @Override
    public int units() {
        return ColumnPanels.count(pixels);
    }

    @Override
    public int scratchFloats() {
        return padded.size() + depth * PANEL_WIDTH + filters * PANEL_WIDTH;
    }

    @Override
    public void packWeights(float[] weight) {
        rowPanels.pack(weight, 0, depth, packedWeight, 0);
    }

    /** The ReLU and ReLU6 always; ReLU and 2x2 max-pool where the output is cut into row pairs. */
    @Override
    public boolean fuses(Epilogue epilogue) {
        return epilogue != Epilogue.RELU_MAXPOOL || rowPairs != null;
    }

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue,
                        float[] scratch) {
        float[] source = padded.source(in, inOff, scratch, 0);
        int sourceOff = padded.offset(inOff, 0);
        int panelOff = padded.size();
        int tileOff = panelOff + depth * PANEL_WIDTH;
        boolean pooled = epilogue == Epilogue.RELU_MAXPOOL;
        float floor = epilogue.floor();
        float ceiling = epilogue.ceiling();
        for (int panel = first; panel < end; panel++) {
            if (pointwise && !pooled) {
                int column = panel * PANEL_WIDTH;
                ColumnPanels.packPanel(source, sourceOff + column, pixels, depth, Math.min(PANEL_WIDTH, pixels - column), scratch, panelOff);
            } else {
                (pooled ? rowPairs : lowering).packPanel(source, sourceOff, panel, scratch, panelOff);
            }
            GemmDriver.multiplyPanel(gemm, packedWeight, 0, rowPanels, depth, scratch, panelOff, scratch, tileOff, PANEL_WIDTH,
                    PANEL_WIDTH, GemmDriver.Init.ZERO, null, 0, null, 0);
            if (pooled) {
                int groups = outWidth / Im2colPanels.PAIR_WIDTH;
                int at = outOff + panel / groups * (outWidth / 2) + panel % groups * (Im2colPanels.PAIR_WIDTH / 2);
                for (int f = 0; f < filters; f++) {
                    elementwise.biasReluPoolRows(scratch, tileOff + f * PANEL_WIDTH, bias[f], out, at + f * pooledPlane);
                }
            } else {
                int column = panel * PANEL_WIDTH;
                int columns = Math.min(PANEL_WIDTH, pixels - column);
                for (int f = 0; f < filters; f++) {
                    elementwise.biasClamp(scratch, tileOff + f * PANEL_WIDTH, bias[f], floor, ceiling, out, outOff + f * pixels + column,
                            columns);
                }
            }
        }
    }
}
