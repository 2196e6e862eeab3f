package dev.framestream.ingest.shaping;

import dev.framestream.media.Image;
import dev.framestream.media.Images;
import dev.framestream.media.PixelFormat;

/**
 * Skips frames that hardly differ from the last frame let through (frame differencing): both are
 * shrunk to a 32x32 grey thumbnail (area interpolation averages out sensor noise), and the frame
 * passes when the mean absolute difference of the thumbnails is at least {@code threshold} grey
 * levels. A threshold of 0 lets everything through.
 */
public final class MotionGate {
    private static final int THUMBNAIL = 32;

    private final double threshold;
    private byte[] last;

    public MotionGate(double threshold) {
        if (!(threshold >= 0 && threshold <= 255)) {
            throw new IllegalArgumentException("--motion-threshold is a mean grey-level difference from 0 to 255, got " + threshold);
        }
        this.threshold = threshold;
    }

    /** Whether the frame shows enough change to publish; a frame that passes becomes the reference. */
    public boolean passes(Image image) {
        if (threshold == 0) {
            return true;
        }
        byte[] thumbnail = Images.convert(Images.resize(image, THUMBNAIL, THUMBNAIL), PixelFormat.GRAY8).pixels();
        if (last != null && difference(thumbnail, last) < threshold) {
            return false;
        }
        last = thumbnail;
        return true;
    }

    private static double difference(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }
}
