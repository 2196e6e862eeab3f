package dev.framestream.media;

/**
 * A decoded picture: {@code width x height} pixels of {@code format}, row-major HWC uint8 (the
 * layout of a Frame record and of an OpenCV {@code Mat}).
 */
public record Image(int width, int height, PixelFormat format, byte[] pixels) {

    public Image {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("an image needs a positive size, got " + width + "x" + height);
        }
        long expected = (long) width * height * format.channels();
        if (pixels.length != expected) {
            throw new IllegalArgumentException("image " + width + "x" + height + " " + format + " needs " + expected
                    + " bytes of pixels, got " + pixels.length);
        }
    }

    /** Pixel {@code (x, y)}'s channel {@code c}, 0 to 255. */
    public int at(int x, int y, int c) {
        return pixels[(y * width + x) * format.channels() + c] & 0xFF;
    }
}
