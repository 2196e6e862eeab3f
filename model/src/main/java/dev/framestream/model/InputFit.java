package dev.framestream.model;

import java.util.Optional;

import dev.framestream.schemas.Frame;
import dev.framestream.schemas.FrameChecks;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.Reason;

/**
 * Whether a (well-formed) frame fits a model's input. The model's preprocessing resizes any size
 * and turns colour into grey, so by default only a grey frame for a colour model does not fit:
 * making up colour would show the model pictures it never saw. With {@code exactSize}, a frame
 * must also already be the input size, for users who want no silent resize. The classifier checks
 * it before serving a frame and the trainer before learning from one.
 */
public final class InputFit {

    private InputFit() {
    }

    /** Whether a model with this input refuses a picture for its colour: a grey one never feeds a colour model. */
    public static boolean greyForColour(boolean grey, Preprocessing input) {
        return grey && input.colour().channels() == 3;
    }

    public static Optional<FrameChecks.Problem> problem(Frame frame, Model model, boolean exactSize) {
        Preprocessing input = model.preprocessing();
        String what = "frame " + frame.getWidth() + "x" + frame.getHeight() + "x" + frame.getChannels()
                + " (" + frame.getPixelFormat() + ") from camera \"" + frame.getCameraId() + "\"";
        String modelInput = "model " + model.name() + " v" + model.version() + " input " + input.shape() + " (" + input.colour() + ")";
        if (greyForColour(frame.getPixelFormat() == PixelFormat.GRAY8, input)) {
            return Optional.of(new FrameChecks.Problem(Reason.SHAPE_MISMATCH, what + " is grey but " + modelInput
                    + " is colour; publish colour frames (ingest --pixel-format BGR8) or serve a grey model"));
        }
        if (exactSize && (frame.getWidth() != input.width() || frame.getHeight() != input.height())) {
            return Optional.of(new FrameChecks.Problem(Reason.SHAPE_MISMATCH, what + " does not match " + modelInput
                    + "; ingest with --resize " + input.width() + "x" + input.height() + " or run without --exact-size"));
        }
        return Optional.empty();
    }
}
