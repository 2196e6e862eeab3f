package dev.framestream.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImagesTest {

    @Test
    void cropKeepsTheRegionAndRefusesOneOutside() {
        byte[] pixels = new byte[4 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        Image image = new Image(4, 3, PixelFormat.GRAY8, pixels);
        assertArrayEquals(new byte[] {5, 6, 9, 10}, Images.crop(image, 1, 1, 2, 2).pixels());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Images.crop(image, 3, 0, 2, 2));
        assertTrue(error.getMessage().contains("does not fit a 4x3 frame"), error.getMessage());
    }

    @Test
    void convertsBetweenGreyBgrAndRgb() {
        Image bgr = new Image(2, 1, PixelFormat.BGR8, new byte[] {(byte) 255, 0, 0, 10, 20, 30});
        assertArrayEquals(new byte[] {0, 0, (byte) 255, 30, 20, 10}, Images.convert(bgr, PixelFormat.RGB8).pixels());
        assertArrayEquals(new byte[] {29, 22}, Images.convert(bgr, PixelFormat.GRAY8).pixels());   // 0.114·255 = 29.1; 0.299·30 + 0.587·20 + 0.114·10 = 21.9
        Image grey = new Image(1, 1, PixelFormat.GRAY8, new byte[] {77});
        assertArrayEquals(new byte[] {77, 77, 77}, Images.convert(grey, PixelFormat.BGR8).pixels());
        assertSame(bgr, Images.convert(bgr, PixelFormat.BGR8));
    }

    @Test
    void sizesParseAsWidthByHeightAndABadOneNamesItsFlag() {
        assertArrayEquals(new int[] {64, 48}, Images.parseSize(" 64X48 ", "--resize"));
        for (String bad : new String[] {"64", "64x", "0x8", "axb", "1x2x3"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Images.parseSize(bad, "--cell"));
            assertTrue(error.getMessage().startsWith("--cell takes WIDTHxHEIGHT"), error.getMessage());
        }
    }
}
