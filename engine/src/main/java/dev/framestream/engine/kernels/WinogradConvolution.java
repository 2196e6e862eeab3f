package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.WinogradTransform.G;
import static dev.framestream.engine.kernels.WinogradTransform.POSITIONS;
import static dev.framestream.engine.kernels.WinogradTransform.TILE;
import static dev.framestream.engine.kernels.WinogradTransform.TILES;

import dev.framestream.engine.tensor.Shape;

/**
 * A 3x3 stride-1 convolution by Winograd F(4x4, 3x3): each 4x4 output block costs 36 multiplies
 * per channel and filter instead of 144, a 4x cut in the multiply-adds that dominate the layer.
 *
 * <p>The output is cut into 4x4 tiles, and the tiles into blocks of {@link WinogradTransform#TILES} (one GEMM panel). Per
 * block: the input transform V = B^T d B of every channel's tiles is written straight into 36
 * packed B panels (one per position xi); 36 GEMMs M[xi] = U[xi] · V[xi] with the transformed
 * weights U = G g G^T (filters x channels, packed once) as A; then per filter the output
 * transform Y = A^T M A, and the bias and {@link Epilogue} (ReLU, or ReLU and the 2x2 max-pool,
 * whose windows lie inside a tile) as Y is placed in the output planes.
 *
 * <p>A unit of work is one block for one part of the filters. A layer with few blocks (a small
 * output) splits its filters into parts so a batch of one still gives every thread work; a thread
 * given all of a block's parts transforms its input once.
 *
 * <p>The transforms scale values by up to 100 and back, so results differ from direct convolution
 * by about 1e-5 of the output's spread rather than a few ulps: the accuracy every fp32 F(4x4, 3x3)
 * has, and far inside what inference needs. The layer tests hold it to that.
 */
public final class WinogradConvolution implements ConvolutionMethod {
    /** Units a layer should offer at batch 1, filters permitting. */
    private static final int MIN_UNITS = 4;
    private static final int MIN_PART_FILTERS = 8;
    private static final int CACHE_LINE = 16;
    /** Floats of one filter's row of M: its 36 positions for the block's tiles. */
    private static final int M_ROW = POSITIONS * TILES;

    private final Gemm gemm;
    private final WinogradTransform transform;
    private final WinogradInput layout;
    private final int channels;
    private final int filters;
    private final int outHeight;
    private final int outWidth;
    private final int tileColumns;
    private final int tiles;
    private final int blocks;
    private final int parts;
    private final RowPanels partPanels;
    private final float[] packedWeight;
    private final float[] transformedPart;   // one part's U[xi] before packing; kept, as training repacks per step
    // Scratch layout, per thread: the input layout, then V, then M, then one filter's Y.
    private final int vOff;
    private final int mOff;
    private final int yOff;
    private final int scratch;
    // V holds one packed B panel per position, a cache line further apart than their size: at a
    // power-of-two stride the positions of a tile fall into the same L1 set and evict each other.
    // M holds each filter's 36 positions together (the GEMM writes it with a row stride of 36 x TILES),
    // so the output transform reads one contiguous block per filter.
    private final int vStride;

    /** A 3x3 stride-1 convolution; check {@link #applies} first. */
    public WinogradConvolution(Gemm gemm, WinogradTransform transform, Shape input, int filters, int pad) {
        this.gemm = gemm;
        this.transform = transform;
        this.channels = input.channels();
        this.filters = filters;
        this.outHeight = input.height() + 2 * pad - 2;
        this.outWidth = input.width() + 2 * pad - 2;
        int tileRows = (outHeight + TILE - 1) / TILE;
        this.tileColumns = (outWidth + TILE - 1) / TILE;
        this.tiles = tileRows * tileColumns;
        this.blocks = (tiles + TILES - 1) / TILES;
        this.parts = parts(blocks, filters);
        this.partPanels = new RowPanels(filters / parts, gemm.mainPanelHeight());
        this.transformedPart = new float[filters / parts * channels];
        this.layout = new WinogradInput(input, pad, tileRows, tileColumns, transform);
        this.packedWeight = new float[POSITIONS * filters * channels];
        this.vStride = channels * TILES + CACHE_LINE;
        this.vOff = layout.size();
        this.mOff = vOff + POSITIONS * vStride;
        this.yOff = mOff + filters * M_ROW;
        this.scratch = yOff + TILE * TILE * TILES;
    }

    /** Halves the filters while there are fewer units than {@link #MIN_UNITS} and the halves stay whole. */
    private static int parts(int blocks, int filters) {
        int parts = 1;
        while (blocks * parts < MIN_UNITS && filters % (2 * parts) == 0 && filters / (2 * parts) >= MIN_PART_FILTERS) {
            parts *= 2;
        }
        return parts;
    }

    /** Whether Winograd F(4x4, 3x3) computes this convolution: a 3x3 kernel at stride 1. */
    public static boolean applies(int kernelHeight, int kernelWidth, int stride) {
        return kernelHeight == 3 && kernelWidth == 3 && stride == 1;
    }

    @Override
    public String name() {
        return "winograd";
    }

    /** Blocks of tiles times filter parts. */
    @Override
    public int units() {
        return blocks * parts;
    }

    @Override
    public int scratchFloats() {
        return scratch;
    }

    /** U[xi] = G g G^T for every filter and channel, in double, packed per filter part and position as row panels. */
    @Override
    public void packWeights(float[] weight) {
        int partFilters = filters / parts;
        float[] u = transformedPart;
        for (int part = 0; part < parts; part++) {
            for (int xi = 0; xi < POSITIONS; xi++) {
                for (int f = 0; f < partFilters; f++) {
                    for (int c = 0; c < channels; c++) {
                        u[f * channels + c] = (float) transformedWeight(weight, ((part * partFilters + f) * channels + c) * 9, xi / 6, xi % 6);
                    }
                }
                partPanels.pack(u, 0, channels, packedWeight, weightOffset(part, xi));
            }
        }
    }

    private int weightOffset(int part, int xi) {
        return (part * POSITIONS + xi) * partPanels.packedSize(channels);
    }

    /** (G g G^T)[r][s] = sum over i, j of G[r][i] g[i][j] G[s][j], for the 3x3 kernel g from {@code at}. */
    private static double transformedWeight(float[] weight, int at, int r, int s) {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                sum += G[r][i] * weight[at + 3 * i + j] * G[s][j];
            }
        }
        return sum;
    }

    /** Every epilogue: ReLU, ReLU6 and the 2x2 max-pool are applied as the output is placed. */
    @Override
    public boolean fuses(Epilogue epilogue) {
        return true;
    }

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue,
                        float[] scratch) {
        int firstBlock = first / parts;
        int endBlock = (end - 1) / parts + 1;
        layout.fill(in, inOff, firstBlock * TILES, Math.min(endBlock * TILES, tiles), scratch);
        int partFilters = filters / parts;
        for (int block = firstBlock; block < endBlock; block++) {
            int firstPart = Math.max(first, block * parts) - block * parts;
            int endPart = Math.min(end, (block + 1) * parts) - block * parts;
            int start = block * TILES;
            for (int c = 0; c < channels; c++) {
                transform.input(scratch, layout.channelOffset(c) + start, layout.window(), scratch, vOff + c * TILES, vStride);
            }
            for (int part = firstPart; part < endPart; part++) {
                for (int xi = 0; xi < POSITIONS; xi++) {
                    GemmDriver.multiplyPanel(gemm, packedWeight, weightOffset(part, xi), partPanels, channels,
                            scratch, vOff + xi * vStride, scratch, mOff + part * partFilters * M_ROW + xi * TILES, M_ROW, TILES,
                            GemmDriver.Init.ZERO, null, 0, null, 0);
                }
            }
            int count = Math.min(TILES, tiles - start);
            for (int f = firstPart * partFilters; f < endPart * partFilters; f++) {
                if (epilogue == Epilogue.RELU_MAXPOOL) {
                    transform.outputPooled(scratch, mOff + f * M_ROW, TILES, scratch, yOff);
                    placePooled(scratch, start, count, bias[f], out, outOff, f);
                } else {
                    transform.output(scratch, mOff + f * M_ROW, TILES, scratch, yOff);
                    place(scratch, start, count, bias[f], epilogue.floor(), epilogue.ceiling(), out, outOff, f);
                }
            }
        }
    }

    /** Filter f's 4x4 blocks of tiles {@code [start, start + count)} into its output plane, cut at the plane's edges. */
    private void place(float[] y, int start, int count, float bias, float floor, float ceiling, float[] out, int outOff, int f) {
        int plane = outOff + f * outHeight * outWidth;
        int tileRow = start / tileColumns;
        int tileColumn = start % tileColumns;
        for (int t = 0; t < count; t++) {
            int top = tileRow * TILE;
            int left = tileColumn * TILE;
            int rows = Math.min(TILE, outHeight - top);
            int columns = Math.min(TILE, outWidth - left);
            for (int a = 0; a < rows; a++) {
                int row = plane + (top + a) * outWidth + left;
                for (int b = 0; b < columns; b++) {
                    out[row + b] = Math.min(Math.max(y[yOff + (TILE * a + b) * TILES + t] + bias, floor), ceiling);
                }
            }
            if (++tileColumn == tileColumns) {
                tileColumn = 0;
                tileRow++;
            }
        }
    }

    /**
     * Filter f's pooled 2x2 blocks into its pooled plane: pooled row r, column c is the tile's
     * (r mod 2, c mod 2). An odd output height or width leaves a last half window, which the pool drops.
     */
    private void placePooled(float[] y, int start, int count, float bias, float[] out, int outOff, int f) {
        int pooledHeight = outHeight / 2;
        int pooledWidth = outWidth / 2;
        int plane = outOff + f * pooledHeight * pooledWidth;
        int tileRow = start / tileColumns;
        int tileColumn = start % tileColumns;
        for (int t = 0; t < count; t++) {
            int top = tileRow * 2;
            int left = tileColumn * 2;
            int row = plane + top * pooledWidth + left;
            if (top + 1 < pooledHeight && left + 1 < pooledWidth) {
                out[row] = Math.max(y[yOff + t] + bias, 0f);
                out[row + 1] = Math.max(y[yOff + TILES + t] + bias, 0f);
                out[row + pooledWidth] = Math.max(y[yOff + 2 * TILES + t] + bias, 0f);
                out[row + pooledWidth + 1] = Math.max(y[yOff + 3 * TILES + t] + bias, 0f);
            } else {
                for (int a = 0; a < Math.min(2, pooledHeight - top); a++) {
                    for (int b = 0; b < Math.min(2, pooledWidth - left); b++) {
                        out[row + a * pooledWidth + b] = Math.max(y[yOff + (2 * a + b) * TILES + t] + bias, 0f);
                    }
                }
            }
            if (++tileColumn == tileColumns) {
                tileColumn = 0;
                tileRow++;
            }
        }
    }
}
