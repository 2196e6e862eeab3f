package dev.framestream.ingest.sources;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a recording or a stream: OpenCV when it can decode the file itself (no process to run),
 * an {@code ffmpeg} subprocess for everything else and for every URL.
 */
public final class Videos {

    private Videos() {
    }

    /** A file path or an {@code rtsp://}, {@code http(s)://}, ... URL. */
    public static FrameSource open(String input, long startTime) {
        if (input.contains("://")) {
            return new FfmpegSource(input, startTime);
        }
        Path file = Path.of(input);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no video file at " + input);
        }
        try {
            return new VideoFileSource(file, startTime);
        } catch (IllegalArgumentException openCvCannot) {
            return new FfmpegSource(input, startTime);
        }
    }
}
