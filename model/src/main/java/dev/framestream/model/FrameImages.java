package dev.framestream.model;

import java.nio.ByteBuffer;

import dev.framestream.media.Image;
import dev.framestream.media.PixelFormat;
import dev.framestream.schemas.Frame;

/** A checked {@link Frame} record's pixels as an {@link Image}, for preprocessing. */
public final class FrameImages {

    private FrameImages() {
    }

    /** The frame's pixels as an image, without a copy when the buffer is a whole array. */
    public static Image image(Frame frame) {
        ByteBuffer pixels = frame.getPixels();
        byte[] bytes;
        if (pixels.hasArray() && pixels.arrayOffset() == 0 && pixels.position() == 0 && pixels.remaining() == pixels.array().length) {
            bytes = pixels.array();
        } else {
            bytes = new byte[pixels.remaining()];
            pixels.duplicate().get(bytes);
        }
        return new Image(frame.getWidth(), frame.getHeight(), PixelFormat.valueOf(frame.getPixelFormat().name()), bytes);
    }
}
