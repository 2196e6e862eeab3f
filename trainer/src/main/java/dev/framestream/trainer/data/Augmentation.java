package dev.framestream.trainer.data;

import java.util.SplittableRandom;

import dev.framestream.model.Image;

/**
 * Random label-preserving changes to a training image, drawn per example: a shift of up to
 * {@code maxShift} pixels each way (the uncovered border repeats the edge pixels, which for a
 * dark background is the background), and a horizontal mirror with probability one half when
 * {@code flips} (only for classes that look the same mirrored: clothes, not digits).
 */
public record Augmentation(int maxShift, boolean flips) {

    public Augmentation {
        if (maxShift < 0) {
            throw new IllegalArgumentException("the augmentation shift must be >= 0 pixels, got " + maxShift);
        }
    }

    public static Augmentation none() {
        return new Augmentation(0, false);
    }

    public boolean isNone() {
        return maxShift == 0 && !flips;
    }

    public Image apply(Image image, SplittableRandom random) {
        if (isNone()) {
            return image;
        }
        int dx = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
        int dy = maxShift == 0 ? 0 : random.nextInt(-maxShift, maxShift + 1);
        boolean mirror = flips && random.nextBoolean();
        if (dx == 0 && dy == 0 && !mirror) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        int channels = image.format().channels();
        byte[] source = image.pixels();
        byte[] out = new byte[source.length];
        for (int y = 0; y < h; y++) {
            int sy = Math.clamp(y - dy, 0, h - 1);
            for (int x = 0; x < w; x++) {
                int sx = Math.clamp(x - dx, 0, w - 1);
                if (mirror) {
                    sx = w - 1 - sx;
                }
                System.arraycopy(source, (sy * w + sx) * channels, out, (y * w + x) * channels, channels);
            }
        }
        return new Image(w, h, image.format(), out);
    }
}
