package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.WinogradTransform.TILE;
import static dev.framestream.engine.kernels.WinogradTransform.TILES;

import java.util.Arrays;

import dev.framestream.engine.tensor.Shape;

/**
 * The zero-bordered input of a {@link WinogradConvolution}, laid out so that for every cell
 * (i, j) of the 6x6 windows, consecutive tiles (in raster order, across tile rows too) read
 * consecutive floats: a vector of tiles is one load even when a tile row has fewer.
 *
 * <p>Tile (tr, tc) reads padded row {@code 4 tr + i} and column {@code 4 tc + j}. Per channel, the
 * padded value at row y, column {@code 4 tc + j} (j &lt; 6) is stored at
 * {@code ((4 j + y mod 4) * (tileRows + 1) + y / 4) * tileColumns + tc}: one plane per column
 * phase j and row phase, each holding a row group per tile row. Cell (i, j) of tile
 * {@code t = tr * tileColumns + tc} is then at {@code window[6 i + j] + t}. Columns 4 and 5 of a
 * window repeat columns 0 and 1 of the next tile, so those two phases are stored twice: 1.5
 * floats per input float, in exchange for a transform that reads without gathers. The layout is
 * built one zero-bordered input row at a time, which {@link WinogradTransform#spread} deals out
 * to the 6 phases (with gathers, in the vector kernels).
 */
final class WinogradInput {
    private final int channels;
    private final int height;
    private final int width;
    private final int pad;
    private final int tileColumns;
    private final int planeRows;
    private final int channelSize;
    private final int[] window = new int[36];
    // Per padded row y: where its 6 column phases start in a channel's layout (at(y, j)).
    private final int[][] phaseRows;
    private final WinogradTransform transform;
    // One padded input row at a time, after the layout: wide enough for the last tile's window.
    private final int rowOff;
    private final int rowLength;

    WinogradInput(Shape input, int pad, int tileRows, int tileColumns, WinogradTransform transform) {
        this.channels = input.channels();
        this.height = input.height();
        this.width = input.width();
        this.pad = pad;
        this.tileColumns = tileColumns;
        this.planeRows = tileRows + 1;
        this.channelSize = 6 * TILE * planeRows * tileColumns;
        this.transform = transform;
        this.rowOff = channels * channelSize + TILES;
        this.rowLength = TILE * tileColumns + 2;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                window[6 * i + j] = at(i, j);
            }
        }
        this.phaseRows = new int[TILE * tileRows + 2][6];
        for (int y = 0; y < phaseRows.length; y++) {
            for (int j = 0; j < 6; j++) {
                phaseRows[y][j] = at(y, j);
            }
        }
    }

    /** Where padded row y, column {@code 4 tc + j} of a channel is, less tc. */
    private int at(int y, int j) {
        return ((TILE * j + y % TILE) * planeRows + y / TILE) * tileColumns;
    }

    /** Floats the layout takes, with room for a last block that runs past the final tile, and its row scratch. */
    int size() {
        return rowOff + rowLength;
    }

    int channelOffset(int c) {
        return c * channelSize;
    }

    /** Cell (i, j) of tile t of a channel is at {@code channelOffset(c) + window()[6 i + j] + t}. */
    int[] window() {
        return window;
    }

    /** Writes the padded rows that tiles {@code [firstTile, endTile)} read, for every channel, into {@code dst}. */
    void fill(float[] in, int inOff, int firstTile, int endTile, float[] dst) {
        int fromRow = TILE * (firstTile / tileColumns);
        int toRow = TILE * ((endTile - 1) / tileColumns) + 6;
        for (int c = 0; c < channels; c++) {
            for (int y = fromRow; y < toRow; y++) {
                padRow(in, inOff + c * height * width, y - pad, dst);
                transform.spread(dst, rowOff, tileColumns, dst, c * channelSize, phaseRows[y]);
            }
        }
    }

    /** Input row h of a channel plane with its zero border, at {@code rowOff}: zeros where h is outside the input. */
    private void padRow(float[] in, int planeOff, int h, float[] dst) {
        if (h < 0 || h >= height) {
            Arrays.fill(dst, rowOff, rowOff + rowLength, 0f);
            return;
        }
        int copied = Math.min(width, rowLength - pad);
        Arrays.fill(dst, rowOff, rowOff + pad, 0f);
        System.arraycopy(in, planeOff + h * width, dst, rowOff + pad, copied);
        Arrays.fill(dst, rowOff + pad + copied, rowOff + rowLength, 0f);
    }
}
