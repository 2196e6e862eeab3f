package dev.framestream.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A labelled image set that needs no download: circles, squares and triangles of random size,
 * place and brightness, outlined on grey noise. Seeded, so the same seed draws the same images;
 * tests, demos and benchmarks use it where any learnable labelled data will do.
 */
public final class Shapes {
    public static final List<String> CLASSES = List.of("circle", "square", "triangle");

    private Shapes() {
    }

    /** One {@code side x side} GRAY8 image of shape {@code label} (an index into {@link #CLASSES}). */
    public static Image draw(int label, int side, SplittableRandom random) {
        if (side < 12) {
            throw new IllegalArgumentException("shapes are drawn on at least 12x12 pixels, got " + side);
        }
        OpenCv.load();
        byte[] noise = new byte[side * side];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) random.nextInt(60);
        }
        Mat image = new Mat(side, side, CvType.CV_8UC1);
        try {
            image.put(0, 0, noise);
            double size = random.nextDouble(side * 0.2, side * 0.36);
            Point centre = new Point(random.nextDouble(size + 1, side - 1 - size), random.nextDouble(size + 1, side - 1 - size));
            Scalar ink = new Scalar(random.nextInt(160, 256));
            int stroke = Math.max(1, side / 14);
            switch (label) {
                case 0 -> Imgproc.circle(image, centre, (int) size, ink, stroke);
                case 1 -> Imgproc.rectangle(image, new Point(centre.x - size, centre.y - size), new Point(centre.x + size, centre.y + size),
                        ink, stroke);
                case 2 -> {
                    List<MatOfPoint> triangle = new ArrayList<>();
                    triangle.add(new MatOfPoint(new Point(centre.x, centre.y - size), new Point(centre.x + size, centre.y + size),
                            new Point(centre.x - size, centre.y + size)));
                    Imgproc.polylines(image, triangle, true, ink, stroke);
                }
                default -> throw new IllegalArgumentException("shape labels are 0 to 2, got " + label);
            }
            byte[] pixels = new byte[side * side];
            image.get(0, 0, pixels);
            return new Image(side, side, PixelFormat.GRAY8, pixels);
        } finally {
            image.release();
        }
    }

    /** Writes {@code perClass} PNG images per shape into {@code dir/<shape>/<n>.png}: an image folder. */
    public static void writeFolder(Path dir, int perClass, int side, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int label = 0; label < CLASSES.size(); label++) {
            Path folder = Files.createDirectories(dir.resolve(CLASSES.get(label)));
            for (int n = 0; n < perClass; n++) {
                Image image = draw(label, side, random);
                Mat mat = new Mat(side, side, CvType.CV_8UC1);
                try {
                    mat.put(0, 0, image.pixels());
                    Path file = folder.resolve(n + ".png");
                    if (!Imgcodecs.imwrite(file.toString(), mat)) {
                        throw new IOException("OpenCV could not write " + file);
                    }
                } finally {
                    mat.release();
                }
            }
        }
    }
}
