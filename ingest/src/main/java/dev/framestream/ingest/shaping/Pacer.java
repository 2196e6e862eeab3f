package dev.framestream.ingest.shaping;

/**
 * Samples a stream down to at most {@code fps} frames per second of capture time: a frame is kept
 * when at least {@code 1/fps} has passed since the last kept one, by the frames' own timestamps,
 * so a recording is thinned the same way however fast it is read. 0 keeps every frame.
 */
public final class Pacer {
    private final double intervalMillis;
    private long lastKept = Long.MIN_VALUE;

    public Pacer(double fps) {
        if (!(fps >= 0)) {
            throw new IllegalArgumentException("--fps must be 0 (every frame) or more, got " + fps);
        }
        this.intervalMillis = fps == 0 ? 0 : 1000 / fps;
    }

    /** Whether the frame captured at {@code captureTime} (ms) is kept; a kept frame starts the next interval. */
    public boolean keep(long captureTime) {
        // Half a millisecond of slack: timestamps rounded to whole milliseconds must not drop a frame that is due.
        if (lastKept != Long.MIN_VALUE && captureTime - lastKept < intervalMillis - 0.5) {
            return false;
        }
        lastKept = captureTime;
        return true;
    }
}
