package dev.framestream.ingest.sources;

import java.util.Optional;

/** Where frames come from: a camera, a file, a folder, a generator. One thread reads it. */
public interface FrameSource extends AutoCloseable {

    /** The next frame, or empty when a finite source has no more. */
    Optional<SourceFrame> next();

    /** How many frames the source holds, when it knows (for a progress bar); -1 for a live or endless one. */
    default long size() {
        return -1;
    }

    /** Frames the source could not decode and skipped so far (a corrupt frame inside a video). */
    default long decodeErrors() {
        return 0;
    }

    @Override
    default void close() {
    }
}
