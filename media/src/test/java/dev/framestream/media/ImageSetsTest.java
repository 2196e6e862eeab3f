package dev.framestream.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;


/** Grid images and image folders, written with OpenCV and read back. */
class ImageSetsTest {

    @Test
    void aGridImageIsCutIntoCellsLabelledByBlocksOfRows(@TempDir Path dir) throws IOException {
        OpenCv.load();
        // 4 rows x 3 columns of 8x6 cells; each cell filled with 10 * row + column.
        Mat sheet = new Mat(4 * 6, 3 * 8, CvType.CV_8UC1);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 3; c++) {
                sheet.submat(r * 6, (r + 1) * 6, c * 8, (c + 1) * 8).setTo(new Scalar(10 * r + c));
            }
        }
        Path file = dir.resolve("grid.png");
        Imgcodecs.imwrite(file.toString(), sheet);
        Dataset data = GridImage.read(file, 8, 6, 2, List.of("even", "odd"));
        assertEquals(12, data.size());
        assertEquals(List.of("even", "odd"), data.classNames());
        assertEquals(0, data.labels()[5]);
        assertEquals(1, data.labels()[6]);
        assertEquals(21, data.images().get(7).at(7, 5, 0));       // row 2, column 1
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> GridImage.read(file, 7, 6, 2, List.of()));
        assertTrue(error.getMessage().contains("--cell"), error.getMessage());
    }

    @Test
    void aFolderOfClassFoldersSkipsUnreadableFilesAndNamesThem(@TempDir Path dir) throws IOException {
        OpenCv.load();
        for (String name : List.of("circle", "square")) {
            Files.createDirectories(dir.resolve(name));
            for (int i = 0; i < 3; i++) {
                Mat image = new Mat(10, 12, CvType.CV_8UC3, new Scalar(i * 40, 0, 200));
                Imgcodecs.imwrite(dir.resolve(name).resolve(i + ".png").toString(), image);
            }
        }
        Path broken = dir.resolve("square/broken.jpg");
        Files.writeString(broken, "not a jpeg");
        ImageFolder.Result result = ImageFolder.read(dir);
        assertEquals(List.of("circle", "square"), result.dataset().classNames());
        assertEquals(6, result.dataset().size());
        assertEquals(List.of(broken), result.skipped());
        assertEquals(200, result.dataset().images().get(0).at(0, 0, 2));   // BGR: red is channel 2
        result.dataset().requireTrainable();
    }

    @Test
    void anEmptyOrSingleClassDatasetIsAClearError(@TempDir Path dir) throws IOException {
        OpenCv.load();
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> ImageFolder.read(dir).dataset().requireTrainable());
        assertTrue(empty.getMessage().contains("holds no images"), empty.getMessage());
        Files.createDirectories(dir.resolve("only"));
        Imgcodecs.imwrite(dir.resolve("only/a.png").toString(), new Mat(4, 4, CvType.CV_8UC1, new Scalar(9)));
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class, () -> ImageFolder.read(dir).dataset().requireTrainable());
        assertTrue(single.getMessage().contains("at least two classes"), single.getMessage());
    }
}
