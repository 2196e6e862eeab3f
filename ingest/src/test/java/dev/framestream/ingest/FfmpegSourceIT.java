package dev.framestream.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.ingest.sources.FfmpegSource;
import dev.framestream.ingest.sources.FrameSource;
import dev.framestream.ingest.sources.SourceFrame;
import dev.framestream.ingest.sources.Videos;

/**
 * An H.264 MP4 that ffmpeg makes in the test (its moving test pattern, so every frame differs),
 * read through the ffmpeg subprocess: every frame, in order, at the recording's rate, with the
 * bytes ffmpeg itself decodes. Needs {@code ffmpeg} on the PATH ({@code .ci/run} installs it).
 */
class FfmpegSourceIT {

    @Test
    void anH264VideoOpenCvCannotReadComesThroughFfmpegFrameByFrame(@TempDir Path dir) throws Exception {
        Path video = dir.resolve("pattern.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-frames:v", "15", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                video.toString());
        Path raw = dir.resolve("pattern.bgr");
        ffmpeg("-i", video.toString(), "-f", "rawvideo", "-pix_fmt", "bgr24", raw.toString());
        byte[] expected = Files.readAllBytes(raw);
        int frameBytes = 64 * 48 * 3;
        assertEquals(15 * frameBytes, expected.length);

        try (FrameSource source = Videos.open(video.toString(), 5_000)) {
            assertInstanceOf(FfmpegSource.class, source, "OpenCV's own decoders cannot read H.264");
            for (int i = 0; i < 15; i++) {
                SourceFrame frame = source.next().orElseThrow(() -> new AssertionError("the video ended early"));
                assertEquals(64, frame.image().width());
                assertEquals(48, frame.image().height());
                assertEquals(5_000 + 100L * i, frame.captureTime(), "frame " + i + " at 10 fps");
                assertArrayEquals(Arrays.copyOfRange(expected, i * frameBytes, (i + 1) * frameBytes), frame.image().pixels(), "frame " + i);
            }
            assertTrue(source.next().isEmpty(), "15 frames, then the end");
        }
    }

    @Test
    void aFileFfmpegCannotReadIsAClearError(@TempDir Path dir) throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.mp4"), "not a video at all");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Videos.open(junk.toString(), 0));
        assertTrue(error.getMessage().contains("junk.mp4"), error.getMessage());
    }

    private static void ffmpeg(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 4];
        command[0] = "ffmpeg";
        command[1] = "-v";
        command[2] = "error";
        command[3] = "-y";
        System.arraycopy(args, 0, command, 4, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "ffmpeg " + String.join(" ", args) + ": " + output);
    }
}
