package dev.framestream.media;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Pixel work on {@link Image}s: resize (OpenCV), crop, and conversion between pixel formats. */
public final class Images {

    private Images() {
    }

    /**
     * {@code WIDTHxHEIGHT} in pixels as a flag or config key gives it, e.g. {@code 64x64}; the
     * error names {@code flag} and shows the expected form.
     */
    public static int[] parseSize(String text, String flag) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int[] size = {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
                if (size[0] > 0 && size[1] > 0) {
                    return size;
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(flag + " takes WIDTHxHEIGHT in pixels, e.g. 64x64, got \"" + text + "\"");
    }

    /** Resized with OpenCV: area interpolation when shrinking (no aliasing), bilinear when enlarging. */
    public static Image resize(Image image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("cannot resize to " + width + "x" + height);
        }
        if (image.width() == width && image.height() == height) {
            return image;
        }
        OpenCv.load();
        int type = CvType.makeType(CvType.CV_8U, image.format().channels());
        Mat source = new Mat(image.height(), image.width(), type);
        Mat target = new Mat();
        try {
            source.put(0, 0, image.pixels());
            boolean shrinking = width < image.width() || height < image.height();
            Imgproc.resize(source, target, new Size(width, height), 0, 0, shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            byte[] pixels = new byte[width * height * image.format().channels()];
            target.get(0, 0, pixels);
            return new Image(width, height, image.format(), pixels);
        } finally {
            source.release();
            target.release();
        }
    }

    /** The rectangle at {@code (x, y)} of {@code width x height}, which must lie inside the image. */
    public static Image crop(Image image, int x, int y, int width, int height) {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > image.width() || y + height > image.height()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + " at " + x + "," + y + " does not fit a "
                    + image.width() + "x" + image.height() + " frame; pick a region inside it");
        }
        int channels = image.format().channels();
        byte[] pixels = new byte[width * height * channels];
        for (int row = 0; row < height; row++) {
            System.arraycopy(image.pixels(), ((y + row) * image.width() + x) * channels, pixels, row * width * channels, width * channels);
        }
        return new Image(width, height, image.format(), pixels);
    }

    /** The image in {@code format}: grey by BT.601 luma (as OpenCV's COLOR_BGR2GRAY), grey to colour repeated, BGR and RGB swapped. */
    public static Image convert(Image image, PixelFormat format) {
        if (image.format() == format) {
            return image;
        }
        int pixelsCount = image.width() * image.height();
        int from = image.format().channels();
        byte[] source = image.pixels();
        byte[] out = new byte[pixelsCount * format.channels()];
        for (int i = 0; i < pixelsCount; i++) {
            for (int c = 0; c < format.channels(); c++) {
                out[i * format.channels() + c] = (byte) channel(source, i * from, image.format(), format, c);
            }
        }
        return new Image(image.width(), image.height(), format, out);
    }

    /** Channel {@code c} of {@code target} for the pixel at {@code at} of {@code format}, 0 to 255. */
    public static int channel(byte[] pixels, int at, PixelFormat format, PixelFormat target, int c) {
        if (target == PixelFormat.GRAY8) {
            return format == PixelFormat.GRAY8 ? pixels[at] & 0xFF : luma(pixels, at, format);
        }
        if (format == PixelFormat.GRAY8) {
            return pixels[at] & 0xFF;
        }
        return pixels[at + (format == target ? c : 2 - c)] & 0xFF;
    }

    /** ITU-R BT.601 luma of a BGR8 or RGB8 pixel, rounded: the weights OpenCV's COLOR_BGR2GRAY uses. */
    public static int luma(byte[] pixels, int at, PixelFormat format) {
        int b = pixels[at + (format == PixelFormat.BGR8 ? 0 : 2)] & 0xFF;
        int g = pixels[at + 1] & 0xFF;
        int r = pixels[at + (format == PixelFormat.BGR8 ? 2 : 0)] & 0xFF;
        return Math.round(0.299f * r + 0.587f * g + 0.114f * b);
    }
}
