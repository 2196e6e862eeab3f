package dev.framestream.media;

/** How a frame's uint8 pixels are laid out: row-major, channels interleaved (HWC). */
public enum PixelFormat {
    GRAY8(1), BGR8(3), RGB8(3);

    private final int channels;

    PixelFormat(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
