package dev.framestream.ingest.sources;

import java.util.Optional;

import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

import dev.framestream.media.Image;
import dev.framestream.media.OpenCv;
import dev.framestream.media.PixelFormat;

/**
 * A live camera through OpenCV and Video4Linux ({@code camera:0} is {@code /dev/video0}): frames as
 * BGR8, timestamped with the wall clock when they arrive. A camera that stops delivering ends the
 * source; the runner opens it again after a back-off.
 */
public final class CameraDeviceSource implements FrameSource {
    private final int index;
    private final VideoCapture capture;
    private final Mat frame;
    private long count;

    /** @throws IllegalArgumentException when no camera answers at that index */
    public CameraDeviceSource(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("camera indexes start at 0 (/dev/video0), got " + index);
        }
        OpenCv.load();
        this.index = index;
        this.capture = new VideoCapture(index, Videoio.CAP_V4L2);
        if (!capture.isOpened()) {
            capture.release();
            throw new IllegalArgumentException("OpenCV cannot open camera " + index + " (/dev/video" + index
                    + "): is it connected, and may this user read it (group video)?");
        }
        this.frame = new Mat();
    }

    /** The index in {@code camera:N}, or -1 when {@code source} names no camera. */
    public static int index(String source) {
        if (!source.startsWith("camera:")) {
            return -1;
        }
        try {
            return Integer.parseInt(source.substring("camera:".length()).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a camera source is camera:N with N the device number, e.g. camera:0; got " + source, e);
        }
    }

    @Override
    public Optional<SourceFrame> next() {
        if (!capture.read(frame) || frame.empty()) {
            return Optional.empty();
        }
        byte[] pixels = new byte[(int) frame.total() * frame.channels()];
        frame.get(0, 0, pixels);
        PixelFormat format = frame.channels() == 1 ? PixelFormat.GRAY8 : PixelFormat.BGR8;
        return Optional.of(new SourceFrame(new Image(frame.cols(), frame.rows(), format, pixels), System.currentTimeMillis(), null,
                "camera " + index + " frame " + count++));
    }

    @Override
    public void close() {
        frame.release();
        capture.release();
    }
}
