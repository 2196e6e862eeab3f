package dev.framestream.engine.layers;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import java.util.List;

import dev.framestream.engine.Shape;
import dev.framestream.engine.kernels.ColumnPanels;
import dev.framestream.engine.kernels.Gemm;
import dev.framestream.engine.kernels.GemmDriver;
import dev.framestream.engine.kernels.Im2colPanels;
import dev.framestream.engine.kernels.RowPanels;

/**
 * 2-D convolution with zero padding, stride and bias.
 *
 * <p>Shapes: input {@code C x H x W}, weights {@code F x C x KH x KW}, bias {@code F}, output
 * {@code F x OH x OW} with {@code OH = (H + 2 pad - KH) / stride + 1} (the same for width).
 *
 * <p>Forward is a GEMM per example: weights ({@code F x C·KH·KW}, packed once in row panels) times
 * the im2col lowering of the input ({@code C·KH·KW x OH·OW}, written 16 output pixels at a time
 * straight into the packed panel layout), the bias starting each output row. A slice is a range of
 * those 16-pixel panels.
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
    private final Gemm gemm;
    private final RowPanels rowPanels;
    private final float[] packedWeight;
    private final Im2colPanels lowering;
    private final int depth;
    private final int panels;
    private final int slices;

    public Conv2D(String name, Shape input, int filters, int kernelHeight, int kernelWidth, int stride, int pad, Gemm gemm) {
        this.name = name;
        this.input = input;
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.stride = stride;
        this.pad = pad;
        this.gemm = gemm;
        int outHeight = (input.height() + 2 * pad - kernelHeight) / stride + 1;
        int outWidth = (input.width() + 2 * pad - kernelWidth) / stride + 1;
        this.output = new Shape(filters, outHeight, outWidth);
        this.depth = input.channels() * kernelHeight * kernelWidth;
        this.weight = new Parameter(name + ".weight", new int[] {filters, input.channels(), kernelHeight, kernelWidth},
                new float[filters * depth]);
        this.bias = new Parameter(name + ".bias", new int[] {filters}, new float[filters]);
        this.rowPanels = new RowPanels(filters, gemm.mainPanelHeight());
        this.packedWeight = new float[rowPanels.packedSize(depth)];
        this.lowering = new Im2colPanels(input, kernelHeight, kernelWidth, stride, pad, outHeight, outWidth);
        this.panels = ColumnPanels.count(outHeight * outWidth);
        this.slices = Math.min(panels, MAX_SLICES);
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

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public void parametersChanged() {
        rowPanels.pack(weight.values(), 0, depth, packedWeight);
    }

    @Override
    public long flopsPerExample() {
        return 2L * output.size() * depth;
    }

    @Override
    public int slices() {
        return slices;
    }

    @Override
    public int scratchFloats() {
        return lowering.paddedSize() + depth * PANEL_WIDTH + GemmDriver.tileSize(output.channels());
    }

    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int inOff = example * input.size();
        float[] source = lowering.source(in, inOff, scratch);
        int sourceOff = lowering.sourceOffset(inOff);
        int panelOff = lowering.paddedSize();
        int tileOff = panelOff + depth * PANEL_WIDTH;
        int pixels = output.height() * output.width();
        int outOff = example * output.size();
        int first = ExampleLayer.sliceStart(panels, slices, firstSlice);
        int end = ExampleLayer.sliceStart(panels, slices, endSlice);
        for (int panel = first; panel < end; panel++) {
            lowering.packPanel(source, sourceOff, panel, scratch, panelOff);
            int column = panel * PANEL_WIDTH;
            GemmDriver.multiplyPanel(gemm, packedWeight, rowPanels, depth, scratch, panelOff,
                    out, outOff + column, pixels, Math.min(PANEL_WIDTH, pixels - column),
                    GemmDriver.Init.ROW_BIAS, bias.values(), 0, scratch, tileOff);
        }
    }
}
