package dev.framestream.schemas;

import java.util.Optional;

/**
 * What every consumer of frames checks before it trusts one: the pixels are there and their
 * length is what the dimensions and pixel format say. A decoded record can still lie about its
 * size; this catches it before any pixel is read.
 */
public final class FrameChecks {
    /** Larger than any camera's frame (16K); a side beyond it is a corrupt dimension, not a picture. */
    public static final int MAX_SIDE = 16_384;

    /** Why a frame is unusable, with the reason code for its dead letter. */
    public record Problem(Reason reason, String message) {
    }

    private FrameChecks() {
    }

    /** The first problem with {@code frame}, or empty when its pixels can be read as an image. */
    public static Optional<Problem> problem(Frame frame) {
        String what = "frame " + frame.getSequence() + " from camera \"" + frame.getCameraId() + "\"";
        int length = frame.getPixels().remaining();
        if (length == 0) {
            return Optional.of(new Problem(Reason.EMPTY_PIXELS, what + " has no pixels; check the camera or file it came from"));
        }
        int width = frame.getWidth();
        int height = frame.getHeight();
        if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) {
            return Optional.of(new Problem(Reason.SHAPE_MISMATCH, what + " says it is " + width + "x" + height
                    + "; a frame's sides must be 1 to " + MAX_SIDE + " pixels"));
        }
        int formatChannels = frame.getPixelFormat() == PixelFormat.GRAY8 ? 1 : 3;
        if (frame.getChannels() != formatChannels) {
            return Optional.of(new Problem(Reason.SHAPE_MISMATCH, what + " has " + frame.getChannels() + " channels but pixel format "
                    + frame.getPixelFormat() + " has " + formatChannels + "; the producer wrote an inconsistent record"));
        }
        long expected = (long) width * height * formatChannels;
        if (length != expected) {
            return Optional.of(new Problem(Reason.SHAPE_MISMATCH, what + " is " + width + "x" + height + "x" + formatChannels
                    + " = " + expected + " bytes but carries " + length + " bytes of pixels; the record is cut off or mislabelled"));
        }
        return Optional.empty();
    }
}
