package dev.framestream.ingest.shaping;

import dev.framestream.media.Image;
import dev.framestream.media.Images;
import dev.framestream.media.PixelFormat;

/**
 * What a camera does to each frame before publishing: crop a region of interest, resize, convert
 * the pixel format, in that order. Every step is optional.
 *
 * @param crop   {x, y, width, height} of the region, or null for the whole frame
 * @param size   {width, height} to resize to, or null to keep the size
 * @param format the published pixel format, or null to keep the source's
 */
public record Shaping(int[] crop, int[] size, PixelFormat format) {

    public Shaping {
        if (crop != null && crop.length != 4 || size != null && size.length != 2) {
            throw new IllegalArgumentException("a crop is x,y,width,height and a size width x height");
        }
    }

    /** No change. */
    public static Shaping none() {
        return new Shaping(null, null, null);
    }

    public Image apply(Image image) {
        Image out = crop == null ? image : Images.crop(image, crop[0], crop[1], crop[2], crop[3]);
        out = size == null ? out : Images.resize(out, size[0], size[1]);
        return format == null ? out : Images.convert(out, format);
    }

    /** {@code x,y,w,h} as given on the command line; null for null. */
    public static int[] parseCrop(String text) {
        return text == null ? null : numbers(text, ",", 4, "--crop takes x,y,width,height in pixels, e.g. 100,50,320,240");
    }

    /** {@code WxH} as given on the command line; null for null. */
    public static int[] parseSize(String text) {
        return text == null ? null : Images.parseSize(text, "--resize");
    }

    private static int[] numbers(String text, String separator, int count, String usage) {
        String[] parts = text.split(separator, -1);
        if (parts.length != count) {
            throw new IllegalArgumentException(usage + ", got \"" + text + "\"");
        }
        int[] values = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                values[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage + ", got \"" + text + "\"", e);
        }
        return values;
    }
}
