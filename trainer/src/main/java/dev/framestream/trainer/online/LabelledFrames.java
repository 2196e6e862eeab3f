package dev.framestream.trainer.online;

import java.util.List;
import java.util.Optional;

import dev.framestream.model.FrameImages;
import dev.framestream.model.InputFit;
import dev.framestream.model.Model;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.FrameChecks;
import dev.framestream.schemas.Reason;

/**
 * A {@code frames.labelled} record becomes an {@link Example} for the model, or the problem that
 * makes it a dead letter: it does not decode or its pixels do not match its size (the checks every
 * frame consumer shares), it has no truth, its truth is not one of the model's classes, or it is
 * grey for a colour model.
 */
final class LabelledFrames {
    private final Model model;
    private final List<String> classNames;

    /** What a record became. */
    sealed interface Read permits Usable, Refused {
    }

    record Usable(Example example) implements Read {
    }

    record Refused(FrameChecks.Problem problem) implements Read {
    }

    LabelledFrames(Model model) {
        this.model = model;
        this.classNames = model.classNames();
    }

    Read read(byte[] value, DeadLetters.Origin origin) {
        Frame frame;
        switch (FrameChecks.read(value, origin)) {
            case FrameChecks.Unreadable bad -> {
                return new Refused(bad.problem());
            }
            case FrameChecks.Readable good -> frame = good.frame();
        }
        String what = "frame " + frame.getSequence() + " from camera \"" + frame.getCameraId() + "\" (" + origin + ")";
        if (frame.getTruth() == null) {
            return new Refused(new FrameChecks.Problem(Reason.UNKNOWN_LABEL, what + " has no truth label; only labelled frames belong on "
                    + origin.topic() + " (ingest sends a camera's frames there when its source knows the truth)"));
        }
        int label = classNames.indexOf(frame.getTruth());
        if (label < 0) {
            return new Refused(new FrameChecks.Problem(Reason.UNKNOWN_LABEL, what + " is labelled \"" + frame.getTruth()
                    + "\", which model " + model.name() + " does not know: its classes are " + classNames
                    + "; train a model with that class (framestream train --class-names ...) or relabel the source"));
        }
        Optional<FrameChecks.Problem> misfit = InputFit.problem(frame, model, false);
        if (misfit.isPresent()) {
            return new Refused(misfit.get());
        }
        return new Usable(new Example(model.preprocessing().framed(FrameImages.image(frame)), label, frame.getCameraId(), frame.getSequence()));
    }
}
