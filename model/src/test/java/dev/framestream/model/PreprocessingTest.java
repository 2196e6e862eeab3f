package dev.framestream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.framestream.media.Image;
import dev.framestream.media.PixelFormat;

class PreprocessingTest {

    @Test
    void halvingAGreyImageAveragesEachTwoByTwoBlock() {
        byte[] pixels = new byte[4 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 16);
        }
        Preprocessing p = new Preprocessing(2, 2, 0, PixelFormat.GRAY8, 1f, new float[0], new float[0]);
        float[] out = new float[4];
        p.apply(new Image(4, 4, PixelFormat.GRAY8, pixels), out, 0);
        // Block (0,0) holds 0, 16, 64, 80: mean 40. OpenCV's INTER_AREA rounds to the nearest uint8.
        assertArrayEquals(new float[] {40, 72, 168, 200}, out);
    }

    @Test
    void colourBecomesGreyWithTheLumaWeightsAndChannelsAreScaledAndNormalised() {
        byte[] bgr = {(byte) 255, 0, 0, 0, 0, (byte) 255};   // a blue pixel, a red pixel
        Preprocessing grey = new Preprocessing(2, 1, 0, PixelFormat.GRAY8, 1f, new float[0], new float[0]);
        float[] out = new float[2];
        grey.apply(new Image(2, 1, PixelFormat.BGR8, bgr), out, 0);
        assertArrayEquals(new float[] {29, 76}, out);      // round(0.114 * 255), round(0.299 * 255)

        Preprocessing rgb = new Preprocessing(2, 1, 0, PixelFormat.RGB8, 1f / 255, new float[] {0, 0.5f, 1}, new float[] {1, 0.5f, 2});
        float[] planes = new float[6];
        rgb.apply(new Image(2, 1, PixelFormat.BGR8, bgr), planes, 0);
        // R plane (red pixel is 1), G plane ((0 - 0.5) / 0.5), B plane ((v - 1) / 2).
        assertArrayEquals(new float[] {0, 1, -1, -1, 0, -0.5f}, planes, 1e-6f);
    }

    @Test
    void greyIsRepeatedIntoEveryColourChannel() {
        Preprocessing p = new Preprocessing(1, 1, 0, PixelFormat.BGR8, 1f, new float[0], new float[0]);
        float[] out = new float[3];
        p.apply(new Image(1, 1, PixelFormat.GRAY8, new byte[] {100}), out, 0);
        assertArrayEquals(new float[] {100, 100, 100}, out);
        assertEquals(3, p.shape().channels());
    }

    @Test
    void aBorderCentresTheResizedImageInAZeroMargin() {
        Preprocessing p = new Preprocessing(4, 4, 1, PixelFormat.GRAY8, 1f, new float[0], new float[0]);
        float[] out = new float[16];
        p.apply(new Image(2, 2, PixelFormat.GRAY8, new byte[] {1, 2, 3, 4}), out, 0);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0}, out);
    }
}
