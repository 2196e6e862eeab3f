package dev.framestream.ingest.sources;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.framestream.media.Image;
import dev.framestream.media.PixelFormat;

/**
 * Anything FFmpeg decodes (H.264/MP4, DivX AVI, RTSP/HTTP/HLS streams) through an {@code ffmpeg}
 * subprocess that writes raw BGR frames to a pipe, the way camera NVRs read streams: the openpnp
 * OpenCV build has no FFmpeg inside. {@code ffprobe} reads the size and frame rate first.
 */
public final class FfmpegSource implements FrameSource {
    private static final String INSTALL = "install FFmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg)";

    private final String input;
    private final Process process;
    private final DataInputStream frames;
    private final int width;
    private final int height;
    private final double fps;
    private final long startTime;
    private final StringBuilder errors = new StringBuilder();
    private long index;

    /**
     * @param input a file path or a URL ffmpeg understands
     * @throws IllegalArgumentException when ffmpeg is missing or cannot read the input
     */
    public FfmpegSource(String input, long startTime) {
        this.input = input;
        this.startTime = startTime;
        List<String> probe = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=width,height,r_frame_rate", "-of", "csv=p=0", input));
        String[] fields = probe.isEmpty() ? new String[0] : probe.get(0).trim().split(",");
        if (fields.length < 3) {
            throw new IllegalArgumentException("ffprobe finds no video stream in " + input + (probe.isEmpty() ? "" : ": " + probe));
        }
        this.width = Integer.parseInt(fields[0]);
        this.height = Integer.parseInt(fields[1]);
        this.fps = rate(fields[2]);
        try {
            this.process = new ProcessBuilder("ffmpeg", "-v", "error", "-nostdin", "-i", input, "-f", "rawvideo", "-pix_fmt", "bgr24", "-")
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot start ffmpeg to read " + input + ": " + e.getMessage() + "; " + INSTALL, e);
        }
        this.frames = new DataInputStream(process.getInputStream());
        Thread.ofVirtual().start(() -> collect(process.getErrorStream()));
    }

    @Override
    public Optional<SourceFrame> next() {
        byte[] pixels = new byte[width * height * 3];
        try {
            frames.readFully(pixels);
        } catch (EOFException e) {
            finish();
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading frames of " + input + " from ffmpeg failed: " + e.getMessage(), e);
        }
        long i = index++;
        long millis = fps > 0 ? Math.round(i * 1000 / fps) : 0;
        return Optional.of(new SourceFrame(new Image(width, height, PixelFormat.BGR8, pixels), startTime + millis, null, input + "#" + i));
    }

    /** The stream ended: a non-zero exit is a failure to report, with what ffmpeg said. */
    private void finish() {
        try {
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg stopped reading " + input + " with exit code " + process.exitValue() + ": " + errors());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect(InputStream stderr) {
        try {
            String text = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (errors) {
                errors.append(text);
            }
        } catch (IOException e) {
            // The process went away; what it said so far is kept.
        }
    }

    private String errors() {
        synchronized (errors) {
            String text = errors.toString().strip();
            return text.length() > 500 ? text.substring(text.length() - 500) : text;
        }
    }

    @Override
    public void close() {
        process.destroy();
    }

    /** {@code 25/1} or {@code 30000/1001} as frames per second; 0 when unknown. */
    private static double rate(String text) {
        String[] parts = text.split("/");
        try {
            double rate = parts.length == 2 ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]) : Double.parseDouble(text);
            return Double.isFinite(rate) ? rate : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Runs a short command and returns its output lines; a missing program or a failure is a clear error. */
    private static List<String> run(List<String> command) {
        try {
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>(new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                throw new IllegalArgumentException(command.get(0) + " cannot read " + command.get(command.size() - 1) + ": "
                        + String.join(" ", lines));
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalArgumentException(command.get(0) + " is not installed or cannot run (" + e.getMessage() + "); " + INSTALL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
