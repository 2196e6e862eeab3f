package dev.framestream.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


/**
 * A sheet of equally sized cells, read row-major, whose labels go in blocks of rows: OpenCV's
 * {@code digits.png} is 100 x 50 cells of 20x20, five rows per digit 0 to 9.
 */
public final class GridImage {

    private GridImage() {
    }

    /**
     * @param cellWidth    cell size in pixels
     * @param rowsPerLabel how many rows of cells share a label; labels count up from 0 down the sheet
     */
    public static Dataset read(Path path, int cellWidth, int cellHeight, int rowsPerLabel, List<String> classNames) throws IOException {
        Image sheet = ImageFiles.read(path).orElseThrow(() -> new IOException("OpenCV cannot read " + path + " as an image"));
        if (cellWidth <= 0 || cellHeight <= 0 || sheet.width() % cellWidth != 0 || sheet.height() % cellHeight != 0) {
            throw new IllegalArgumentException(path + " is " + sheet.width() + "x" + sheet.height() + ", which cells of "
                    + cellWidth + "x" + cellHeight + " do not tile; set --cell to the size of one cell");
        }
        int columns = sheet.width() / cellWidth;
        int rows = sheet.height() / cellHeight;
        if (rowsPerLabel <= 0 || rows % rowsPerLabel != 0) {
            throw new IllegalArgumentException(path + " has " + rows + " rows of cells, not a multiple of --rows-per-label " + rowsPerLabel);
        }
        int classes = rows / rowsPerLabel;
        List<String> names = new ArrayList<>(classNames);
        for (int c = names.size(); c < classes; c++) {
            names.add(Integer.toString(c));
        }
        int channels = sheet.format().channels();
        List<Image> cells = new ArrayList<>(rows * columns);
        int[] labels = new int[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                byte[] pixels = new byte[cellWidth * cellHeight * channels];
                for (int y = 0; y < cellHeight; y++) {
                    System.arraycopy(sheet.pixels(), (((r * cellHeight + y) * sheet.width()) + c * cellWidth) * channels,
                            pixels, y * cellWidth * channels, cellWidth * channels);
                }
                labels[cells.size()] = r / rowsPerLabel;
                cells.add(new Image(cellWidth, cellHeight, sheet.format(), pixels));
            }
        }
        return new Dataset(names.subList(0, classes), cells, labels, path.toString());
    }
}
