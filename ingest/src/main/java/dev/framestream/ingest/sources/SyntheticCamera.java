package dev.framestream.ingest.sources;

import java.util.Optional;
import java.util.SplittableRandom;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

import dev.framestream.media.Image;
import dev.framestream.media.OpenCv;
import dev.framestream.media.PixelFormat;

/**
 * A camera that needs nothing installed: each frame shows one digit, 0 to 9, drawn with OpenCV in
 * a random colour on a noisy background, drifting across the picture over a few frames before the
 * next digit comes; the digit is the frame's truth. Seeded, so the same seed gives the same frames.
 */
public final class SyntheticCamera implements FrameSource {
    /* A digit stays for this many frames while it drifts, so the stream has motion, not noise. */
    private static final int FRAMES_PER_DIGIT = 8;

    private final int width;
    private final int height;
    private final long count;
    private final double fps;
    private final long startTime;
    private final long seed;
    private SplittableRandom digitRandom;
    private long index;
    private int digit;
    private double x;
    private double y;
    private double dx;
    private double dy;
    private double scale;
    private Scalar ink;

    /**
     * @param count     frames to make, or -1 for an endless stream
     * @param fps       frames per second of capture time (the frames' timestamps step by 1/fps)
     * @param startTime capture time of the first frame, milliseconds since the epoch
     */
    public SyntheticCamera(int width, int height, long count, double fps, long startTime, long seed) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("the synthetic camera draws at least 16x16 frames, got " + width + "x" + height);
        }
        if (!(fps > 0)) {
            throw new IllegalArgumentException("the synthetic camera needs a positive frame rate, got " + fps);
        }
        this.width = width;
        this.height = height;
        this.count = count;
        this.fps = fps;
        this.startTime = startTime;
        this.seed = seed;
        this.digitRandom = new SplittableRandom(seed);
    }

    @Override
    public long size() {
        return count;
    }

    @Override
    public Optional<SourceFrame> next() {
        if (count >= 0 && index >= count) {
            return Optional.empty();
        }
        OpenCv.load();
        if (index % FRAMES_PER_DIGIT == 0) {
            nextDigit();
        }
        // The noise depends on the frame alone, so any frame can be drawn again to check it.
        Mat frame = new Mat(height, width, CvType.CV_8UC3);
        try {
            Core.setRNGSeed((int) (seed * 31 + index));
            Core.randu(frame, 0, 70);
            double step = index % FRAMES_PER_DIGIT;
            Point origin = new Point(x + dx * step, y + dy * step);
            Imgproc.putText(frame, Integer.toString(digit), origin, Imgproc.FONT_HERSHEY_SIMPLEX, scale, ink,
                    Math.max(1, (int) Math.round(scale * 2)), Imgproc.LINE_AA);
            byte[] pixels = new byte[width * height * 3];
            frame.get(0, 0, pixels);
            SourceFrame out = new SourceFrame(new Image(width, height, PixelFormat.BGR8, pixels),
                    startTime + Math.round(index * 1000 / fps), Integer.toString(digit), "synthetic seed " + seed + " frame " + index);
            index++;
            return Optional.of(out);
        } finally {
            frame.release();
        }
    }

    private void nextDigit() {
        digit = digitRandom.nextInt(10);
        scale = Math.min(width, height) / 40.0 * digitRandom.nextDouble(0.8, 1.2);
        double glyph = 22 * scale;                       // FONT_HERSHEY_SIMPLEX digits are about 22 units tall
        x = digitRandom.nextDouble(0, Math.max(1, width - glyph));
        y = digitRandom.nextDouble(glyph, Math.max(glyph + 1, height - 2));
        dx = digitRandom.nextDouble(-1, 1);
        dy = digitRandom.nextDouble(-0.5, 0.5);
        ink = new Scalar(digitRandom.nextInt(120, 256), digitRandom.nextInt(120, 256), digitRandom.nextInt(120, 256));
    }
}
