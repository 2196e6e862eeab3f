package dev.framestream.engine.kernels;

import java.util.Arrays;

import dev.framestream.engine.tensor.Shape;

/**
 * One example's input with a zero border of {@code pad} on every side, so convolution windows
 * read it with no bounds tests. Without padding the input itself serves, with no copy, unless
 * the caller asks for one (a kernel that reads past the example's end needs it in its scratch).
 */
public final class PaddedInput {
    private final int channels;
    private final int height;
    private final int width;
    private final int pad;
    private final boolean copied;

    public PaddedInput(Shape input, int pad) {
        this(input, pad, false);
    }

    /** @param alwaysCopied whether the input is copied to scratch even without padding */
    public PaddedInput(Shape input, int pad, boolean alwaysCopied) {
        this.channels = input.channels();
        this.height = input.height();
        this.width = input.width();
        this.pad = pad;
        this.copied = alwaysCopied || pad > 0;
    }

    /** Height with the border. */
    public int height() {
        return height + 2 * pad;
    }

    /** Width with the border. */
    public int width() {
        return width + 2 * pad;
    }

    /** Floats of scratch the bordered copy needs: 0 when the input itself serves. */
    public int size() {
        return copied ? channels * height() * width() : 0;
    }

    /**
     * The array the windows read: the input itself without padding (and no copy asked for), else its bordered copy written
     * to {@code scratch} from {@code scratchOff}. The example starts at {@link #offset} in it.
     */
    public float[] source(float[] in, int inOff, float[] scratch, int scratchOff) {
        if (!copied) {
            return in;
        }
        if (pad == 0) {
            System.arraycopy(in, inOff, scratch, scratchOff, channels * height * width);
            return scratch;
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
        return copied ? scratchOff : inOff;
    }
}
