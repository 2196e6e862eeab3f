package dev.framestream.media;

import java.nio.file.Path;
import java.util.Optional;

import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;


/** Decodes an image file with OpenCV into an {@link Image}: grey stays grey, colour becomes BGR8. */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** The decoded image, or empty when OpenCV cannot read the file (missing, corrupt, unknown format). */
    public static Optional<Image> read(Path path) {
        OpenCv.load();
        Mat mat = Imgcodecs.imread(path.toString(), Imgcodecs.IMREAD_UNCHANGED);
        try {
            if (mat.empty() || mat.depth() != org.opencv.core.CvType.CV_8U) {
                return Optional.empty();
            }
            if (mat.channels() == 4) {
                Imgproc.cvtColor(mat, mat, Imgproc.COLOR_BGRA2BGR);
            }
            PixelFormat format = mat.channels() == 1 ? PixelFormat.GRAY8 : PixelFormat.BGR8;
            byte[] pixels = new byte[(int) mat.total() * mat.channels()];
            mat.get(0, 0, pixels);
            return Optional.of(new Image(mat.cols(), mat.rows(), format, pixels));
        } finally {
            mat.release();
        }
    }
}
