package dev.framestream.ingest;

import dev.framestream.ingest.shaping.Shaping;
import dev.framestream.media.PixelFormat;

/**
 * Everything about one camera: where its frames come from and what happens to them, as the
 * command-line flags or one entry of a cameras YAML file give it. Unset values are null or the
 * documented defaults ({@link #defaults(String, String)}).
 *
 * @param source        {@code synthetic}, a folder, an IDX images file, a grid image (with
 *                      {@code cell}), a video file or a stream URL
 * @param cell          grid image cell size {@code WxH}, or null
 * @param width         synthetic frames' width
 * @param captureFps    capture rate of synthetic and image-set frames
 * @param count         frames to read before stopping; -1 for all
 * @param loop          start a finite source again when it ends
 * @param shuffle       play an image set (folder, IDX, grid) in a random order drawn from
 *                      {@code seed}, a new order on every loop; videos and cameras keep theirs
 * @param crop          {@code x,y,w,h}, or null
 * @param resize        {@code WxH}, or null
 * @param pixelFormat   published pixel format, or null for the decoded one
 * @param labelledEvery every n-th labelled frame also goes to the labelled topic; 0 never
 */
public record CameraConfig(String id, String source, String cell, int rowsPerLabel, int width, int height, double captureFps,
                           long seed, long count, boolean loop, boolean shuffle, String crop, String resize, PixelFormat pixelFormat, double fps,
                           double motionThreshold, boolean realtime, int labelledEvery) {

    public CameraConfig {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("every camera needs an id: it is the key of its frames");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("camera " + id + " needs a source: synthetic, a file, a folder or a URL");
        }
        if (labelledEvery < 0) {
            throw new IllegalArgumentException("camera " + id + ": labelledEvery must be 0 (never) or more, got " + labelledEvery);
        }
    }

    /** A camera with every option at its default. */
    public static CameraConfig defaults(String id, String source) {
        return new CameraConfig(id, source, null, 5, 64, 64, 25, 1, -1, false, false, null, null, null, 0, 0, false, 1);
    }

    /** What happens to the frames between source and topic. */
    public CameraSettings settings() {
        return new CameraSettings(new Shaping(Shaping.parseCrop(crop), Shaping.parseSize(resize), pixelFormat), fps, motionThreshold,
                realtime, labelledEvery);
    }
}
