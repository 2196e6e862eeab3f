package dev.framestream.ingest.sources;

import dev.framestream.media.Image;

/**
 * One frame as a source delivers it, before it becomes a Frame record.
 *
 * @param captureTime milliseconds since the epoch when the frame was captured
 * @param truth       the true class name when the source knows it, else null
 * @param description where it came from, e.g. {@code synthetic seed 7 frame 41}
 */
public record SourceFrame(Image image, long captureTime, String truth, String description) {
}
