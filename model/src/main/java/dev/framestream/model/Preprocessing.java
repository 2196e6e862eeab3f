package dev.framestream.model;

import java.util.Arrays;

import dev.framestream.engine.tensor.Shape;
import dev.framestream.media.Image;
import dev.framestream.media.Images;
import dev.framestream.media.PixelFormat;

/**
 * How a frame's uint8 pixels become a network's float input, the one code path training and
 * serving share: resize to {@code width x height} (OpenCV, area interpolation when shrinking and
 * bilinear when enlarging), or to {@code 2·border} less and centred in a zero margin, convert to
 * the model's {@code colour} order, then per channel {@code (value · scale - mean[c]) / std[c]},
 * written channel-major (CHW) as the engine wants.
 *
 * @param border a margin of zero pixels on every side (MNIST centres 20x20 digits in 28x28: a
 *               network whose first convolution has no padding sees the digit's edges whole)
 * @param mean   per channel, or empty for 0
 * @param std    per channel, or empty for 1
 */
public record Preprocessing(int width, int height, int border, PixelFormat colour, float scale, float[] mean, float[] std) {

    public Preprocessing {
        if (width <= 0 || height <= 0 || border < 0 || 2 * border >= Math.min(width, height)) {
            throw new IllegalArgumentException("preprocessing needs a positive size and a border that leaves room, got "
                    + width + "x" + height + " with border " + border);
        }
        if ((mean.length != 0 && mean.length != colour.channels()) || (std.length != 0 && std.length != colour.channels())) {
            throw new IllegalArgumentException("preprocessing for " + colour + " needs " + colour.channels()
                    + " mean and std values (or none), got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("a preprocessing std must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Scale to 0..1 only, the default for a model with this input shape (1 channel grey, 3 BGR). */
    public static Preprocessing unitScale(Shape input) {
        PixelFormat colour = input.channels() == 1 ? PixelFormat.GRAY8 : PixelFormat.BGR8;
        if (input.channels() != colour.channels()) {
            throw new IllegalArgumentException("images have 1 or 3 channels; the input " + input + " has " + input.channels());
        }
        return new Preprocessing(input.width(), input.height(), 0, colour, 1f / 255, new float[0], new float[0]);
    }

    /** The same with a margin of {@code pixels} on every side. */
    public Preprocessing withBorder(int pixels) {
        return new Preprocessing(width, height, pixels, colour, scale, mean, std);
    }

    /**
     * A mid-grey image in the colour this takes, {@code times} its size in each direction: a
     * harmless test frame for a network (at 2 or more, it goes through the resize as camera frames do).
     */
    public Image greyImage(int times) {
        byte[] grey = new byte[times * width * times * height * colour.channels()];
        Arrays.fill(grey, (byte) 128);
        return new Image(times * width, times * height, colour, grey);
    }

    /** The input shape this produces. */
    public Shape shape() {
        return new Shape(colour.channels(), height, width);
    }

    /** Writes {@code image} as network input ({@link #shape()}, CHW) into {@code out} from {@code outOff}. */
    public void apply(Image image, float[] out, int outOff) {
        applyFramed(framed(image), out, outOff);
    }

    /**
     * The second half of {@link #apply}: writes an image {@link #framed} already as network input.
     * Keeping frames framed (uint8 at the input size) costs a quarter of keeping them as floats.
     */
    public void applyFramed(Image sized, float[] out, int outOff) {
        if (sized.width() != width || sized.height() != height) {
            throw new IllegalArgumentException("a framed image is " + width + "x" + height + ", got " + sized.width() + "x" + sized.height());
        }
        int channels = colour.channels();
        int plane = width * height;
        byte[] pixels = sized.pixels();
        int from = sized.format().channels();
        for (int c = 0; c < channels; c++) {
            float m = mean.length == 0 ? 0f : mean[c];
            float inverse = std.length == 0 ? 1f : 1f / std[c];
            int base = outOff + c * plane;
            for (int i = 0; i < plane; i++) {
                float value = Images.channel(pixels, i * from, sized.format(), colour, c);
                out[base + i] = (value * scale - m) * inverse;
            }
        }
    }

    /** The first half of {@link #apply}: the image at the input size, resized to the inner size and centred in the border. */
    public Image framed(Image image) {
        int innerWidth = width - 2 * border;
        int innerHeight = height - 2 * border;
        Image inner = Images.resize(image, innerWidth, innerHeight);
        if (border == 0) {
            return inner;
        }
        int channels = inner.format().channels();
        byte[] pixels = new byte[width * height * channels];
        for (int y = 0; y < innerHeight; y++) {
            System.arraycopy(inner.pixels(), y * innerWidth * channels, pixels, ((y + border) * width + border) * channels, innerWidth * channels);
        }
        return new Image(width, height, inner.format(), pixels);
    }


    @Override
    public boolean equals(Object other) {
        return other instanceof Preprocessing p && p.width == width && p.height == height && p.border == border && p.colour == colour
                && Float.compare(p.scale, scale) == 0 && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {width, height, border, colour, scale, Arrays.hashCode(mean), Arrays.hashCode(std)});
    }

    @Override
    public String toString() {
        return width + "x" + height + (border == 0 ? "" : " border " + border) + " " + colour + " scale " + scale
                + (mean.length == 0 ? "" : " mean " + Arrays.toString(mean)) + (std.length == 0 ? "" : " std " + Arrays.toString(std));
    }
}
