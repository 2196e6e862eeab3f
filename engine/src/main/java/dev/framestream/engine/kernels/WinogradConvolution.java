package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;
import static dev.framestream.engine.kernels.WinogradTransform.POSITIONS;

import java.util.Arrays;

import dev.framestream.engine.Shape;

/**
 * A 3x3 stride-1 convolution by Winograd F(2x2, 3x3): each 2x2 output block costs 16 multiplies
 * per channel and filter instead of 36, a 2.25x cut in the multiply-adds that dominate the layer.
 *
 * <p>The output is cut into 2x2 tiles, and the tiles into blocks of 16 (one GEMM panel), a block
 * being one unit of work. Per block: the input transform V = B^T d B of every channel's tiles is
 * written straight into 16 packed B panels (one per position xi); 16 GEMMs M[xi] = U[xi] · V[xi]
 * with the transformed weights U = G g G^T (filters x channels, packed once) as A; then the output
 * transform Y = A^T M A plus bias writes the output planes, applying the {@link Epilogue} (ReLU,
 * or ReLU and the 2x2 max-pool, whose windows are exactly the tiles) on the way.
 *
 * <p>The transformed values are sums of up to 9 inputs, so results differ from direct convolution
 * by a few float ulps of those sums; the layer tests hold it to the same 1e-5 as every method.
 */
public final class WinogradConvolution implements ConvolutionMethod {
    private static final int BLOCK = PANEL_WIDTH;
    private static final int CACHE_LINE = 16;
    /** The weight transform of F(2x2, 3x3). */
    private static final double[][] G = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};

    private final Gemm gemm;
    private final WinogradTransform transform;
    private final RowPanels rowPanels;
    private final float[] packedWeight;
    private final float[] zeros;
    private final int channels;
    private final int filters;
    private final int height;
    private final int width;
    private final int pad;
    private final int outHeight;
    private final int outWidth;
    private final int tileRows;
    private final int tileColumns;
    private final int tiles;
    // Padded input: channel c, padded row y at (c * paddedHeight + y) * rowStride; its even
    // columns first, then its odd columns, each half long enough for every tile's window.
    private final int half;
    private final int rowStride;
    private final int paddedHeight;
    // Scratch layout, per thread: padded input, then V, then M.
    private final int vOff;
    private final int mOff;
    private final int scratch;
    // V holds one packed B panel per position; the panels are a cache line further apart than
    // their size, because at a power-of-two stride (2 KB for 32 channels) the 16 positions of a
    // tile fall into the same L1 set and evict each other during the input transform. M holds
    // each filter's 16 positions together (the GEMM writes it with a row stride of 16 x 16), so
    // the output transform reads one contiguous kilobyte per filter.
    private final int vStride;

    /** A 3x3 stride-1 convolution; check {@link #applies} first. */
    public WinogradConvolution(Gemm gemm, WinogradTransform transform, Shape input, int filters, int pad) {
        this.gemm = gemm;
        this.transform = transform;
        this.channels = input.channels();
        this.filters = filters;
        this.height = input.height();
        this.width = input.width();
        this.pad = pad;
        this.outHeight = height + 2 * pad - 2;
        this.outWidth = width + 2 * pad - 2;
        this.tileRows = (outHeight + 1) / 2;
        this.tileColumns = (outWidth + 1) / 2;
        this.tiles = tileRows * tileColumns;
        this.half = tileColumns + 1;
        this.rowStride = 2 * half;
        this.paddedHeight = 2 * tileRows + 2;
        this.rowPanels = new RowPanels(filters, gemm.mainPanelHeight());
        this.packedWeight = new float[POSITIONS * rowPanels.packedSize(channels)];
        this.zeros = new float[filters];
        this.vStride = channels * BLOCK + CACHE_LINE;
        this.vOff = channels * paddedHeight * rowStride;
        this.mOff = vOff + POSITIONS * vStride;
        this.scratch = mOff + filters * POSITIONS * BLOCK;
    }

    /** Whether Winograd F(2x2, 3x3) computes this convolution: a 3x3 kernel at stride 1. */
    public static boolean applies(int kernelHeight, int kernelWidth, int stride) {
        return kernelHeight == 3 && kernelWidth == 3 && stride == 1;
    }

    @Override
    public String name() {
        return "winograd";
    }

    /** Blocks of 16 tiles. */
    @Override
    public int units() {
        return (tiles + BLOCK - 1) / BLOCK;
    }

    @Override
    public int scratchFloats() {
        return scratch;
    }

    /** U[xi] = G g G^T for every filter and channel, in double, packed per position as row panels. */
    @Override
    public void packWeights(float[] weight) {
        float[] u = new float[filters * channels];
        for (int xi = 0; xi < POSITIONS; xi++) {
            for (int f = 0; f < filters; f++) {
                for (int c = 0; c < channels; c++) {
                    u[f * channels + c] = (float) transformedWeight(weight, (f * channels + c) * 9, xi / 4, xi % 4);
                }
            }
            rowPanels.pack(u, 0, channels, packedWeight, xi * rowPanels.packedSize(channels));
        }
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

    /** Every epilogue: ReLU and the 2x2 max-pool are applied as the output transform writes. */
    @Override
    public boolean fuses(Epilogue epilogue) {
        return true;
    }

    @Override
    public void forward(float[] in, int inOff, float[] bias, float[] out, int outOff, int first, int end, Epilogue epilogue,
                        float[] scratch) {
        int firstTile = first * BLOCK;
        int endTile = Math.min(end * BLOCK, tiles);
        splitPaddedRows(in, inOff, 2 * (firstTile / tileColumns), 2 * ((endTile - 1) / tileColumns) + 4, scratch);
        int weightsPerPosition = rowPanels.packedSize(channels);
        for (int block = first; block < end; block++) {
            int start = block * BLOCK;
            int count = Math.min(BLOCK, tiles - start);
            // Columns past count hold stale scratch; GEMM columns are independent and theirs are never read.
            transformInput(start, count, scratch);
            for (int xi = 0; xi < POSITIONS; xi++) {
                GemmDriver.multiplyPanel(gemm, packedWeight, xi * weightsPerPosition, rowPanels, channels,
                        scratch, vOff + xi * vStride, scratch, mOff + xi * BLOCK, POSITIONS * BLOCK, BLOCK,
                        GemmDriver.Init.ROW_BIAS, zeros, 0, null, 0);
            }
            if (epilogue == Epilogue.RELU_MAXPOOL) {
                transformOutputPooled(start, count, bias, out, outOff, scratch);
            } else {
                transformOutput(start, count, bias, epilogue == Epilogue.RELU, out, outOff, scratch);
            }
        }
    }

    /** Writes padded rows {@code [fromRow, toRow)} of every channel, split into even and odd columns. */
    private void splitPaddedRows(float[] in, int inOff, int fromRow, int toRow, float[] scratch) {
        for (int c = 0; c < channels; c++) {
            for (int y = fromRow; y < toRow; y++) {
                int row = (c * paddedHeight + y) * rowStride;
                int h = y - pad;
                if (h < 0 || h >= height) {
                    Arrays.fill(scratch, row, row + rowStride, 0f);
                } else {
                    int src = inOff + (c * height + h) * width;
                    splitHalf(in, src, scratch, row, 0);
                    splitHalf(in, src, scratch, row + half, 1);
                }
            }
        }
    }

    /** One half of a padded row: padded columns {@code 2 j + parity}, which are input columns {@code 2 j + parity - pad}. */
    private void splitHalf(float[] in, int src, float[] dst, int dstOff, int parity) {
        int shift = parity - pad;
        int first = Math.max(0, (1 - shift) / 2);                       // first j whose column is >= 0
        int end = Math.max(first, Math.min(half, (width - shift + 1) / 2)); // first j whose column is >= width
        Arrays.fill(dst, dstOff, dstOff + first, 0f);
        for (int j = first; j < end; j++) {
            dst[dstOff + j] = in[src + 2 * j + shift];
        }
        Arrays.fill(dst, dstOff + end, dstOff + half, 0f);
    }

    /** V for tiles {@code [start, start + count)}: per channel, one call per tile row the block touches. */
    private void transformInput(int start, int count, float[] scratch) {
        for (int c = 0; c < channels; c++) {
            for (int tile = start; tile < start + count; ) {
                int tileRow = tile / tileColumns;
                int tileColumn = tile % tileColumns;
                int run = Math.min(tileColumns - tileColumn, start + count - tile);
                int row = (c * paddedHeight + 2 * tileRow) * rowStride + tileColumn;
                transform.input(scratch, row, row + half, rowStride, run,
                        scratch, vOff + c * BLOCK + (tile - start), vStride);
                tile += run;
            }
        }
    }

    /** Y per filter for the block's tiles, written into the output one tile row's run at a time. */
    private void transformOutput(int start, int count, float[] bias, boolean relu, float[] out, int outOff, float[] scratch) {
        int plane = outHeight * outWidth;
        for (int tile = start; tile < start + count; ) {
            int tileRow = tile / tileColumns;
            int tileColumn = tile % tileColumns;
            int run = Math.min(tileColumns - tileColumn, start + count - tile);
            int top = 2 * tileRow * outWidth + 2 * tileColumn;
            boolean bottom = 2 * tileRow + 1 < outHeight;
            int columns = Math.min(2 * run, outWidth - 2 * tileColumn);
            for (int f = 0; f < filters; f++) {
                int topOff = outOff + f * plane + top;
                transform.output(scratch, mOff + f * POSITIONS * BLOCK + (tile - start), BLOCK, run, bias[f], relu,
                        out, topOff, bottom ? topOff + outWidth : -1, columns);
            }
            tile += run;
        }
    }

    /**
     * The pooled output: a tile is one pooling window, so pooled row r, column c is tile (r, c). An
     * odd output height or width leaves a last row or column of half tiles, which the pool drops.
     */
    private void transformOutputPooled(int start, int count, float[] bias, float[] out, int outOff, float[] scratch) {
        int pooledHeight = outHeight / 2;
        int pooledWidth = outWidth / 2;
        int plane = pooledHeight * pooledWidth;
        for (int tile = start; tile < start + count; ) {
            int tileRow = tile / tileColumns;
            int tileColumn = tile % tileColumns;
            int run = Math.min(tileColumns - tileColumn, start + count - tile);
            int pooled = Math.min(run, pooledWidth - tileColumn);
            if (tileRow < pooledHeight && pooled > 0) {
                for (int f = 0; f < filters; f++) {
                    transform.outputPooled(scratch, mOff + f * POSITIONS * BLOCK + (tile - start), BLOCK, pooled, bias[f],
                            out, outOff + f * plane + tileRow * pooledWidth + tileColumn);
                }
            }
            tile += run;
        }
    }
}
