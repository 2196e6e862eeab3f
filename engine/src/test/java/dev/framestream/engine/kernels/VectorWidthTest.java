package dev.framestream.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VectorWidthTest {

    @Test
    void choose_widest_isWhatTheCpuRunsNatively() {
        assertEquals(VectorWidth.preferredBits() >= 512 ? 512 : 256, VectorWidth.choose("widest"));
        assertEquals(VectorWidth.choose("widest"), VectorWidth.choose("WIDEST"));
        assertEquals(256, VectorWidth.choose("256"));
    }

    @Test
    void bits_followTheProperty_orTheWidestWithoutIt() {
        String asked = System.getProperty("framestream.vector.bits");
        assertEquals(VectorWidth.choose(asked == null ? "widest" : asked), VectorWidth.BITS);
        assertEquals(VectorWidth.BITS / Float.SIZE, VectorWidth.FLOATS);
    }

    @Test
    void choose_unknownWidth_namesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorWidth.choose("1024"));
        assertTrue(e.getMessage().contains("use 256, 512 or widest"), e.getMessage());
    }

    @Test
    void choose_512_isRefusedWhereTheCpuHasNone() {
        if (VectorWidth.preferredBits() >= 512) {
            assertEquals(512, VectorWidth.choose("512"));
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorWidth.choose("512"));
        assertTrue(e.getMessage().contains("use widest or 256"), e.getMessage());
    }
}
