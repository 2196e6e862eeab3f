package dev.framestream.ingest.sources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

import dev.framestream.media.Image;
import dev.framestream.media.OpenCv;
import dev.framestream.media.PixelFormat;

/**
 * A recorded video read by OpenCV ({@code VideoCapture}): the openpnp build reads what it decodes
 * itself (MJPEG AVI, image sequences), not H.264 and the other FFmpeg codecs. Frames come as BGR8,
 * timestamped from {@code startTime} plus their place in the recording ({@code i / fps}). A frame
 * that does not decode before the end of the recording is counted and skipped; the next one is read.
 */
public final class VideoFileSource implements FrameSource {
    private final Path file;
    private final VideoCapture capture;
    private final long startTime;
    private final long frames;
    private final double fps;
    private final Mat frame;
    private long index;
    private long decodeErrors;

    /** @throws IllegalArgumentException when the file is missing or OpenCV cannot open it */
    public VideoFileSource(Path file, long startTime) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no video file at " + file);
        }
        OpenCv.load();
        this.frame = new Mat();
        this.file = file;
        this.capture = new VideoCapture(file.toString());
        if (!capture.isOpened()) {
            capture.release();
            frame.release();
            throw new IllegalArgumentException("OpenCV cannot open " + file + " (this OpenCV build reads MJPEG AVI and image sequences;"
                    + " H.264, MP4 and most other codecs go through ffmpeg: Videos.open does that)");
        }
        this.startTime = startTime;
        this.frames = (long) capture.get(Videoio.CAP_PROP_FRAME_COUNT);
        this.fps = capture.get(Videoio.CAP_PROP_FPS);
    }

    @Override
    public long size() {
        return frames > 0 ? frames : -1;
    }

    @Override
    public Optional<SourceFrame> next() {
        int failures = 0;
        while (!capture.read(frame) || frame.empty()) {
            // A failed read before the last frame is a corrupt frame (the reader has moved past it),
            // at or after it the end; a long run of failures is an end too, whatever length was reported.
            long position = (long) capture.get(Videoio.CAP_PROP_POS_FRAMES);
            if (frames <= 0 || position >= frames || ++failures > 25) {
                return Optional.empty();
            }
            decodeErrors++;
            index++;                    // the lost frame keeps its place in the recording's timeline
        }
        long i = index++;
        // Frame i of a constant-rate recording is i / fps in; the reported position varies by backend.
        long millis = fps > 0 ? Math.round(i * 1000 / fps) : Math.round(capture.get(Videoio.CAP_PROP_POS_MSEC));
        byte[] pixels = new byte[(int) frame.total() * frame.channels()];
        frame.get(0, 0, pixels);
        PixelFormat format = frame.channels() == 1 ? PixelFormat.GRAY8 : PixelFormat.BGR8;
        return Optional.of(new SourceFrame(new Image(frame.cols(), frame.rows(), format, pixels), startTime + millis, null,
                file + "#" + i));
    }

    @Override
    public long decodeErrors() {
        return decodeErrors;
    }

    @Override
    public void close() {
        frame.release();
        capture.release();
    }
}
