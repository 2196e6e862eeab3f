package dev.framestream.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.framestream.media.Dataset;
import dev.framestream.media.GridImage;
import dev.framestream.media.IdxFiles;
import dev.framestream.media.ImageFolder;
import dev.framestream.media.Images;

/**
 * Opens a dataset by what the path is: a folder of class sub-folders, an IDX images file (its
 * labels file found beside it), or a grid image cut into cells.
 */
public final class DataOptions {
    private final int cellWidth;
    private final int cellHeight;
    private final int rowsPerLabel;
    private final List<String> classNames;

    public DataOptions(String cell, int rowsPerLabel, List<String> classNames) {
        int[] size = Images.parseSize(cell, "--cell");
        this.cellWidth = size[0];
        this.cellHeight = size[1];
        this.rowsPerLabel = rowsPerLabel;
        this.classNames = classNames;
    }

    /** The dataset at {@code path}; {@code labels} is the IDX labels file, or null to find it beside the images. */
    public Dataset open(Path path, Path labels) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("no data at " + path + "; give a folder of class sub-folders, an IDX images file or a grid image");
        }
        if (Files.isDirectory(path)) {
            ImageFolder.Result result = ImageFolder.read(path);
            if (!result.skipped().isEmpty()) {
                System.err.printf("skipped %d file%s OpenCV could not decode in %s (first: %s)%n", result.skipped().size(),
                        result.skipped().size() == 1 ? "" : "s", path, result.skipped().get(0));
            }
            return result.dataset();
        }
        if (path.getFileName().toString().contains("idx3")) {
            return IdxFiles.read(path, labels != null ? labels : IdxFiles.labelsFor(path), classNames);
        }
        return GridImage.read(path, cellWidth, cellHeight, rowsPerLabel, classNames);
    }
}
