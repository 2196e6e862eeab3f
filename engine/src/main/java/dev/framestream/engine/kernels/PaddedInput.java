package dev.framestream.engine.kernels;

import java.util.Arrays;

import dev.framestream.engine.tensor.Shape;

/**
 * One example's input with a zero border of {@code pad} on every side, so convolution windows
 * read it with no bounds tests. Without padding the input itself serves, with no copy.
 */
public final class PaddedInput {
    private final int channels;
    private final int height;
    private final int width;
    private final int pad;

    public PaddedInput(Shape input, int pad) {
        this.channels = input.channels();
        this.height = input.height();
        this.width = input.width();
        this.pad = pad;
    }

    /** Height with the border. */
    public int height() {
        return height + 2 * pad;
    }

    /** Width with the border. */
    public int width() {
        return width + 2 * pad;
    }

    /** Floats of scratch the bordered copy needs: 0 without padding. */
    public int size() {
        return pad == 0 ? 0 : channels * height() * width();
    }

    /**
     * The array the windows read: the input itself without padding, else its bordered copy written
     * to {@code scratch} from {@code scratchOff}. The example starts at {@link #offset} in it.
     */
    public float[] source(float[] in, int inOff, float[] scratch, int scratchOff) {
        if (pad == 0) {
            return in;
        }
        int plane = height() * width();
        Arrays.fill(scratch, scratchOff, scratchOff + channels * plane, 0f);
        for (int c = 0; c < channels; c++) {
            for (int h = 0; h < height; h++) {
                System.arraycopy(in, inOff + (c * height + h) * width,
                        scratch, scratchOff + c * plane + (h + pad) * width() + pad, width);
            }
        }
        return scratch;
    }

    /** Where the example starts in what {@link #source} returned. */
    public int offset(int inOff, int scratchOff) {
        return pad == 0 ? inOff : scratchOff;
    }
}
