package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import dev.framestream.engine.Shape;

/**
 * Convolution as a GEMM per example: weights ({@code F x C·KH·KW}, packed once in row panels)
 * times the im2col lowering of the input ({@code C·KH·KW x OH·OW}, written 16 output pixels at a
 * time straight into the packed panel layout), the bias starting each output row. A unit is one
 * 16-pixel panel.
 */
public final class LoweredConvolution implements ConvolutionMethod {
    private final Gemm gemm;
    private final PaddedInput padded;
    private final Im2colPanels lowering;
    private final RowPanels rowPanels;
    private final float[] packedWeight;
    private final int depth;
    private final int pixels;
    private final int filters;

    public LoweredConvolution(Gemm gemm, Elementwise copier, Shape input, int filters, int kernelHeight, int kernelWidth, int stride, int pad,
                              int outHeight, int outWidth) {
        this.gemm = gemm;
        this.filters = filters;
        this.padded = new PaddedInput(input, pad);
        this.lowering = new Im2colPanels(copier, input.channels(), padded, kernelHeight, kernelWidth, stride, outHeight, outWidth);
        this.depth = input.channels() * kernelHeight * kernelWidth;
        this.rowPanels = new RowPanels(filters, gemm.mainPanelHeight());
        this.packedWeight = new float[rowPanels.packedSize(depth)];
        this.pixels = outHeight * outWidth;
    }

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public int units() {
        return ColumnPanels.count(pixels);
    }

    @Override
    public int scratchFloats() {
        return padded.size() + depth * PANEL_WIDTH + GemmDriver.tileSize(filters);
    }

    @Override
    public void packWeights(float[] weight) {
        rowPanels.pack(weight, 0, depth, packedWeight, 0);
    }

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue,
                        float[] scratch) {
        float[] source = padded.source(in, inOff, scratch, 0);
        int sourceOff = padded.offset(inOff, 0);
        int panelOff = padded.size();
        int tileOff = panelOff + depth * PANEL_WIDTH;
        for (int panel = first; panel < end; panel++) {
            lowering.packPanel(source, sourceOff, panel, scratch, panelOff);
            int column = panel * PANEL_WIDTH;
            GemmDriver.multiplyPanel(gemm, packedWeight, 0, rowPanels, depth, scratch, panelOff,
                    out, outOff + column, pixels, Math.min(PANEL_WIDTH, pixels - column),
                    GemmDriver.Init.ROW_BIAS, bias, 0, scratch, tileOff);
        }
    }
}
