package dev.framestream.ingest.shaping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.framestream.media.Image;
import dev.framestream.media.PixelFormat;

/** Pacing, the motion gate and frame shaping on frames the test makes. */
class ShapingTest {

    @Test
    void pacingSamplesTwentyFiveFramesPerSecondDownToFive() {
        Pacer pacer = new Pacer(5);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            if (pacer.keep(Math.round(i * 1000 / 25.0))) {
                kept.add(i);
            }
        }
        assertEquals(List.of(0, 5, 10, 15, 20), kept);
        assertTrue(new Pacer(0).keep(0) && new Pacer(0).keep(0), "0 keeps every frame");
    }

    @Test
    void theMotionGateSkipsStillFramesAndPassesChange() {
        MotionGate gate = new MotionGate(2);
        Image dark = solid(64, 48, 20);
        assertTrue(gate.passes(dark), "the first frame always passes");
        assertFalse(gate.passes(solid(64, 48, 21)), "one grey level of change is no motion");
        Image lit = solid(64, 48, 20);
        for (int y = 10; y < 30; y++) {
            for (int x = 10; x < 40; x++) {
                lit.pixels()[y * 64 + x] = (byte) 200;
            }
        }
        assertTrue(gate.passes(lit), "a bright object appearing is");
        assertFalse(gate.passes(lit), "and the same frame again is not");
    }

    @Test
    void cropThenResizeThenConvert() {
        Image frame = solid(8, 6, 90);
        Image shaped = new Shaping(Shaping.parseCrop("2,1,4,4"), Shaping.parseSize("2x2"), PixelFormat.BGR8).apply(frame);
        assertEquals(2, shaped.width());
        assertEquals(PixelFormat.BGR8, shaped.format());
        assertArrayEquals(new byte[] {90, 90, 90}, java.util.Arrays.copyOf(shaped.pixels(), 3));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Shaping.parseSize("64"));
        assertTrue(error.getMessage().contains("--resize"), error.getMessage());
    }

    private static Image solid(int width, int height, int value) {
        byte[] pixels = new byte[width * height];
        java.util.Arrays.fill(pixels, (byte) value);
        return new Image(width, height, PixelFormat.GRAY8, pixels);
    }
}
