package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import java.util.Arrays;

import dev.framestream.engine.tensor.Shape;

/**
 * The gradients of one example's convolution, on the same GEMM micro-kernel as the forward pass.
 *
 * <p>With input {@code C x H x W}, output gradient {@code dY} of {@code F x P} ({@code P = OH·OW}),
 * weights {@code W} of {@code F x D} ({@code D = C·KH·KW}) and {@code cols} the {@code D x P}
 * im2col lowering of the input:
 * <ul>
 *   <li>bias: {@code db[f] += sum over p of dY[f][p]};
 *   <li>weights: {@code dW += dY · cols^T}, a GEMM with depth P, B panels gathered straight from
 *       the padded input (16 kernel taps per panel);
 *   <li>input, at stride 1 with a square kernel and an output as large as the input: a convolution of {@code dY} (padded by
 *       {@code K - 1 - pad}) with the weights flipped in both axes and with filters and channels
 *       swapped, run by whichever {@link ConvolutionMethod} suits that shape (Winograd for the 3x3
 *       layers of CAMERA), since backpropagating a correlation is a full correlation with the
 *       rotated kernel;
 *   <li>input, otherwise (stride 2, ...): {@code dX = col2im(W^T · dY)}, computed 16 output pixels
 *       at a time into a {@code D x 16} tile that is scattered back into the windows at once, so
 *       the {@code D x P} product never exists in full.
 * </ul>
 * Gradients of weights and bias are added to ({@code +=}), so one buffer sums a batch; the input
 * gradient is written.
 */
public final class ConvolutionGradients implements ConvolutionBackward {
    private final Gemm gemm;
    private final PaddedInput padded;
    private final Shape input;
    private final int pad;
    private final int filters;
    private final int depth;
    private final int pixels;
    private final int[] depthOffset;   // per d = (c, kh, kw): offset of the tap in the padded input
    private final int[] pixelOffset;   // per output pixel: offset of its window's corner in the padded input
    private final RowPanels filterRows;
    private final RowPanels depthRows;
    private final float[] transposedWeight;
    private final int kernelHeight;
    private final int kernelWidth;
    private final ConvolutionMethod transposedConvolution;   // null where col2im computes dX
    private final float[] flippedWeight;
    private final float[] zeroBias;

    public ConvolutionGradients(Kernels kernels, Shape input, int filters, int kernelHeight, int kernelWidth, int stride, int pad,
                                int outHeight, int outWidth) {
        this.gemm = kernels.gemm();
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.input = input;
        this.pad = pad;
        this.padded = new PaddedInput(input, pad);
        this.filters = filters;
        this.depth = input.channels() * kernelHeight * kernelWidth;
        this.pixels = outHeight * outWidth;
        this.depthOffset = new int[depth];
        int d = 0;
        for (int c = 0; c < input.channels(); c++) {
            for (int kh = 0; kh < kernelHeight; kh++) {
                for (int kw = 0; kw < kernelWidth; kw++) {
                    depthOffset[d++] = (c * padded.height() + kh) * padded.width() + kw;
                }
            }
        }
        this.pixelOffset = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            pixelOffset[p] = p / outWidth * stride * padded.width() + p % outWidth * stride;
        }
        this.filterRows = new RowPanels(filters, gemm.mainPanelHeight());
        this.depthRows = new RowPanels(depth, gemm.mainPanelHeight());
        this.transposedWeight = new float[depthRows.packedSize(filters)];
        // The transposed convolution computes every input pixel from a window of the output gradient
        // padded by K - 1 - pad: as much work as col2im when the layer keeps its size ("same"
        // padding), but H·W / (OH·OW) times more for a valid convolution (2.25x for DIGITS' conv2),
        // where col2im's product is smaller than the zeros the transposed one would multiply.
        boolean asConvolution = stride == 1 && kernelHeight == kernelWidth && pad <= kernelHeight - 1
                && outHeight * outWidth >= input.height() * input.width();
        this.transposedConvolution = asConvolution ? ConvolutionMethods.choose(kernels, new Shape(filters, outHeight, outWidth),
                input.channels(), kernelHeight, kernelWidth, 1, kernelHeight - 1 - pad, input.height(), input.width()) : null;
        this.flippedWeight = asConvolution ? new float[filters * depth] : null;
        this.zeroBias = new float[input.channels()];
    }

    /** How the input gradient is computed: {@code col2im}, or the convolution method of the transposed convolution. */
    public String inputGradientMethod() {
        return transposedConvolution == null ? "col2im" : transposedConvolution.name();
    }

    @Override
    public int scratchFloats() {
        int weights = padded.size() + filters * pixels + PANEL_WIDTH * Math.max(pixels, filters)
                + GemmDriver.tileSize(Math.max(filters, depth)) + padded.size();
        return Math.max(weights, transposedConvolution == null ? 0 : transposedConvolution.scratchFloats());
    }

    /** Re-derives the forms of {@code weight} ({@code F x C x KH x KW}) the input gradient uses. */
    @Override
    public void packWeights(float[] weight) {
        if (transposedConvolution == null) {
            depthRows.packTransposed(weight, 0, depth, filters, transposedWeight, 0);
            return;
        }
        // W'[c][f][i][j] = W[f][c][K-1-i][K-1-j]: channels become filters, the window turns half a circle.
        int channels = input.channels();
        int taps = kernelHeight * kernelWidth;
        for (int f = 0; f < filters; f++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < taps; t++) {
                    flippedWeight[(c * filters + f) * taps + t] = weight[(f * channels + c) * taps + taps - 1 - t];
                }
            }
        }
        transposedConvolution.packWeights(flippedWeight);
    }

    @Override
    public void backward(float[] in, int inOff, float[] gradOut, int gOff, float[] gradIn, int gInOff,
                         float[] weightGrad, float[] biasGrad, float[] scratch) {
        for (int f = 0; f < filters; f++) {
            float sum = 0f;
            for (int p = 0, row = gOff + f * pixels; p < pixels; p++) {
                sum += gradOut[row + p];
            }
            biasGrad[f] += sum;
        }
        float[] source = padded.source(in, inOff, scratch, 0);
        int sourceOff = padded.offset(inOff, 0);
        int aOff = padded.size();
        int panelOff = aOff + filters * pixels;
        int tileOff = panelOff + PANEL_WIDTH * Math.max(pixels, filters);
        int gradOff = tileOff + GemmDriver.tileSize(Math.max(filters, depth));
        filterRows.pack(gradOut, gOff, pixels, scratch, aOff);
        for (int d0 = 0; d0 < depth; d0 += PANEL_WIDTH) {
            int cols = Math.min(PANEL_WIDTH, depth - d0);
            lowerTransposed(source, sourceOff, d0, cols, scratch, panelOff);
            GemmDriver.multiplyPanel(gemm, scratch, aOff, filterRows, pixels, scratch, panelOff,
                    weightGrad, d0, depth, cols, GemmDriver.Init.ACCUMULATE, null, 0, scratch, tileOff);
        }
        if (gradIn != null && transposedConvolution != null) {
            transposedConvolution.forward(gradOut, gOff, zeroBias, gradIn, gInOff, 0, transposedConvolution.units(), Epilogue.NONE, scratch);
        } else if (gradIn != null) {
            inputGradient(gradOut, gOff, gradIn, gInOff, scratch, panelOff, tileOff, gradOff);
        }
    }

    private void inputGradient(float[] gradOut, int gOff, float[] gradIn, int gInOff, float[] scratch,
                               int panelOff, int tileOff, int gradOff) {
        // Without padding the windows lie in the input itself: scatter straight into gradIn.
        float[] target = pad == 0 ? gradIn : scratch;
        int targetOff = pad == 0 ? gInOff : gradOff;
        Arrays.fill(target, targetOff, targetOff + (pad == 0 ? input.size() : padded.size()), 0f);
        for (int p0 = 0; p0 < pixels; p0 += PANEL_WIDTH) {
            int cols = Math.min(PANEL_WIDTH, pixels - p0);
            ColumnPanels.packPanel(gradOut, gOff + p0, pixels, filters, cols, scratch, panelOff);
            GemmDriver.multiplyPanel(gemm, transposedWeight, 0, depthRows, filters, scratch, panelOff,
                    scratch, tileOff, PANEL_WIDTH, PANEL_WIDTH, GemmDriver.Init.ZERO, null, 0, null, 0);
            for (int d = 0; d < depth; d++) {
                int base = targetOff + depthOffset[d];
                int row = tileOff + d * PANEL_WIDTH;
                for (int j = 0; j < cols; j++) {
                    target[base + pixelOffset[p0 + j]] += scratch[row + j];
                }
            }
        }
        if (pad != 0) {
            int width = input.width();
            for (int c = 0; c < input.channels(); c++) {
                for (int h = 0; h < input.height(); h++) {
                    System.arraycopy(scratch, gradOff + (c * padded.height() + h + pad) * padded.width() + pad,
                            gradIn, gInOff + (c * input.height() + h) * width, width);
                }
            }
        }
    }

    /** B panel for the weight gradient: {@code P x 16}, column j = tap {@code d0 + j} of every output pixel. */
    private void lowerTransposed(float[] source, int sourceOff, int d0, int cols, float[] dst, int dstOff) {
        for (int p = 0; p < pixels; p++) {
            int corner = sourceOff + pixelOffset[p];
            int row = dstOff + p * PANEL_WIDTH;
            for (int j = 0; j < cols; j++) {
                dst[row + j] = source[corner + depthOffset[d0 + j]];
            }
            for (int j = cols; j < PANEL_WIDTH; j++) {
                dst[row + j] = 0f;
            }
        }
    }
}
