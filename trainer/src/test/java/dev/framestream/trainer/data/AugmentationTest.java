package dev.framestream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.framestream.media.Image;
import dev.framestream.media.PixelFormat;

class AugmentationTest {

    private static Image dot(int x, int y) {
        byte[] pixels = new byte[15 * 15];
        pixels[y * 15 + x] = (byte) 255;
        return new Image(15, 15, PixelFormat.GRAY8, pixels);
    }

    private static double[] centroid(Image image) {
        double sum = 0;
        double cx = 0;
        double cy = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                sum += image.at(x, y, 0);
                cx += x * image.at(x, y, 0);
                cy += y * image.at(x, y, 0);
            }
        }
        return new double[] {cx / sum, cy / sum};
    }

    @Test
    void noAugmentationReturnsTheImageItself() {
        Image image = dot(3, 4);
        assertSame(image, Augmentation.none().apply(image, new SplittableRandom(1)));
    }

    @Test
    void shiftsMoveTheContentByAtMostTheLimit() {
        Augmentation shift = new Augmentation(2, 0, 0, false);
        SplittableRandom random = new SplittableRandom(5);
        boolean moved = false;
        for (int i = 0; i < 50; i++) {
            double[] c = centroid(shift.apply(dot(7, 7), random));
            assertTrue(Math.abs(c[0] - 7) <= 2.0001 && Math.abs(c[1] - 7) <= 2.0001, "moved to " + c[0] + "," + c[1]);
            moved |= Math.abs(c[0] - 7) > 0.5;
        }
        assertTrue(moved, "50 draws of up to 2 pixels never moved the dot");
    }

    @Test
    void aFlipMirrorsLeftAndRight() {
        Augmentation flip = new Augmentation(0, 0, 0, true);
        SplittableRandom random = new SplittableRandom(2);
        Image mirrored = null;
        for (int i = 0; i < 20 && mirrored == null; i++) {
            Image out = flip.apply(dot(2, 5), random);
            if (out.at(12, 5, 0) == 255) {
                mirrored = out;
            }
        }
        assertTrue(mirrored != null, "20 coin tosses never flipped");
        assertArrayEquals(dot(12, 5).pixels(), mirrored.pixels());
    }
}
