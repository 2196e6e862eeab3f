package dev.framestream.ingest;

import dev.framestream.ingest.shaping.Shaping;

/**
 * How one camera treats its frames between source and topic.
 *
 * @param fps             sample down to at most this many frames per second of capture time; 0 = all
 * @param motionThreshold skip frames whose mean grey-level change from the last published one is
 *                        below this; 0 = publish static frames too
 * @param realtime        play recordings at their recorded pace instead of as fast as the broker takes them
 * @param labelledEvery   every n-th labelled frame also goes to the labelled topic; 0 never
 */
public record CameraSettings(Shaping shaping, double fps, double motionThreshold, boolean realtime, int labelledEvery) {

    /** Every frame, unchanged, as fast as possible, every labelled one to the labelled topic too. */
    public static CameraSettings plain() {
        return new CameraSettings(Shaping.none(), 0, 0, false, 1);
    }
}
