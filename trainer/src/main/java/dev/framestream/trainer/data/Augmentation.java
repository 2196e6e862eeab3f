package dev.framestream.trainer.data;

import java.util.SplittableRandom;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import dev.framestream.media.Image;
import dev.framestream.media.OpenCv;

/**
 * Random label-preserving changes to a training image, drawn per example: one affine warp (OpenCV
 * {@code warpAffine}, bilinear, border pixels repeated) that rotates by up to {@code maxDegrees}
 * either way and scales by up to {@code maxZoom} (a fraction) about the centre, then shifts by up
 * to {@code maxShift} pixels along each axis; and a horizontal mirror with probability one half
 * when {@code flips} (only for classes that look alike mirrored: clothes, not digits).
 */
public record Augmentation(double maxShift, double maxDegrees, double maxZoom, boolean flips) {

    public Augmentation {
        if (!(maxShift >= 0) || !(maxDegrees >= 0 && maxDegrees <= 180) || !(maxZoom >= 0 && maxZoom < 1)) {
            throw new IllegalArgumentException("augmentation needs shift >= 0 pixels, rotation 0 to 180 degrees and zoom in [0, 1), got "
                    + maxShift + ", " + maxDegrees + " and " + maxZoom);
        }
    }

    public static Augmentation none() {
        return new Augmentation(0, 0, 0, false);
    }

    public boolean isNone() {
        return maxShift == 0 && maxDegrees == 0 && maxZoom == 0 && !flips;
    }

    public Image apply(Image image, SplittableRandom random) {
        if (isNone()) {
            return image;
        }
        double angle = maxDegrees == 0 ? 0 : random.nextDouble(-maxDegrees, maxDegrees);
        double scale = maxZoom == 0 ? 1 : 1 + random.nextDouble(-maxZoom, maxZoom);
        double dx = maxShift == 0 ? 0 : random.nextDouble(-maxShift, maxShift);
        double dy = maxShift == 0 ? 0 : random.nextDouble(-maxShift, maxShift);
        boolean mirror = flips && random.nextBoolean();
        OpenCv.load();
        int w = image.width();
        int h = image.height();
        Mat source = new Mat(h, w, CvType.makeType(CvType.CV_8U, image.format().channels()));
        Mat target = new Mat();
        Mat transform = Imgproc.getRotationMatrix2D(new Point((w - 1) / 2.0, (h - 1) / 2.0), angle, scale);
        try {
            source.put(0, 0, image.pixels());
            transform.put(0, 2, transform.get(0, 2)[0] + dx);
            transform.put(1, 2, transform.get(1, 2)[0] + dy);
            Imgproc.warpAffine(source, target, transform, new Size(w, h), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
            if (mirror) {
                Core.flip(target, target, 1);
            }
            byte[] pixels = new byte[image.pixels().length];
            target.get(0, 0, pixels);
            return new Image(w, h, image.format(), pixels);
        } finally {
            source.release();
            target.release();
            transform.release();
        }
    }
}
