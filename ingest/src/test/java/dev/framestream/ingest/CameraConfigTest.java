package dev.framestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.framestream.media.PixelFormat;

class CameraConfigTest {

    @Test
    void builder_namesNothing_givesTheFlagsDefaults() {
        assertEquals(new CameraConfig("door", "synthetic", null, 5, 64, 64, 25, 1, -1, false, false, null, null, null, 0, 0, false, 1),
                CameraConfig.builder("door", "synthetic").build());
    }

    @Test
    void builder_setsWhatItNames_andKeepsTheRest() {
        CameraConfig camera = CameraConfig.builder("door", "door.mp4").resize("32x32").pixelFormat(PixelFormat.GRAY8).labelledEvery(0).build();
        assertEquals(new CameraConfig("door", "door.mp4", null, 5, 64, 64, 25, 1, -1, false, false, null, "32x32", PixelFormat.GRAY8, 0, 0,
                false, 0), camera);
    }

    @Test
    void build_validatesAsTheRecordDoes() {
        assertEquals("every camera needs an id: it is the key of its frames",
                assertThrows(IllegalArgumentException.class, () -> CameraConfig.builder(" ", "synthetic").build()).getMessage());
        assertEquals("camera door needs a source: synthetic, a file, a folder or a URL",
                assertThrows(IllegalArgumentException.class, () -> CameraConfig.builder("door", null).build()).getMessage());
        assertEquals("camera door: labelledEvery must be 0 (never) or more, got -1",
                assertThrows(IllegalArgumentException.class, () -> CameraConfig.builder("door", "synthetic").labelledEvery(-1).build())
                        .getMessage());
    }
}
