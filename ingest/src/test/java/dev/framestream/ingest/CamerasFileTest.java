package dev.framestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.media.PixelFormat;

class CamerasFileTest {

    @Test
    void readsEveryCameraWithItsOptionsAndDefaults(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("cameras.yaml"), """
                cameras:
                  - id: door
                    source: rtsp://10.0.0.5/stream
                    fps: 5
                    resize: 64x64
                    pixelFormat: gray8
                    motionThreshold: 2.5
                    realtime: true
                  - id: digits
                    source: digits.png
                    cell: 20x20
                    labelledEvery: 3
                """);
        List<CameraConfig> cameras = CamerasFile.read(file);
        assertEquals(2, cameras.size());
        CameraConfig door = cameras.get(0);
        assertEquals("rtsp://10.0.0.5/stream", door.source());
        assertEquals(5, door.fps());
        assertEquals(PixelFormat.GRAY8, door.pixelFormat());
        assertEquals(2.5, door.motionThreshold());
        assertTrue(door.realtime());
        assertEquals(1, door.labelledEvery(), "the default");
        assertEquals("20x20", cameras.get(1).cell());
        assertEquals(3, cameras.get(1).labelledEvery());
    }

    @Test
    void aTypoOrATwiceUsedIdIsAnError(@TempDir Path dir) throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "cameras:\n  - id: a\n    source: synthetic\n    fsp: 5\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> CamerasFile.read(typo));
        assertTrue(error.getMessage().contains("\"fsp\"") && error.getMessage().contains("fps"), error.getMessage());
        Path twice = Files.writeString(dir.resolve("twice.yaml"), "cameras:\n  - {id: a, source: synthetic}\n  - {id: a, source: x.mp4}\n");
        error = assertThrows(IllegalArgumentException.class, () -> CamerasFile.read(twice));
        assertTrue(error.getMessage().contains("appears twice"), error.getMessage());
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "lights: on\n");
        error = assertThrows(IllegalArgumentException.class, () -> CamerasFile.read(empty));
        assertTrue(error.getMessage().contains("cameras:"), error.getMessage());
    }
}
