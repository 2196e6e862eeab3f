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

    /** A record's value read as a frame: a usable one, or why not. */
    public sealed interface Read permits Readable, Unreadable {
    }

    public record Readable(Frame frame) implements Read {
    }

    public record Unreadable(Problem problem) implements Read {
    }

    private static final SingleObjectCodec<Frame> FRAMES = SingleObjectCodec.frame();

    private FrameChecks() {
    }

    /**
     * Decodes the value of the record at {@code origin} and checks it: every service that consumes
     * frames starts here, so they refuse the same records with the same reasons.
     */
    public static Read read(byte[] value, DeadLetters.Origin origin) {
        if (value == null) {
            return new Unreadable(new Problem(Reason.UNDECODABLE,
                    "record " + origin + " has no value (a tombstone); frames topics carry Frame records only"));
        }
        Frame frame;
        try {
            frame = FRAMES.decode(value);
        } catch (RecordDecodingException e) {
            return new Unreadable(new Problem(DeadLetters.reasonFor(e.problem()), "record " + origin + " is not a Frame: " + e.getMessage()));
        }
        Optional<Problem> problem = problem(frame);
        return problem.<Read>map(Unreadable::new).orElseGet(() -> new Readable(frame));
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
