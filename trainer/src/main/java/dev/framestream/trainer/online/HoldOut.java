package dev.framestream.trainer.online;

/**
 * Which frames are held out for validation and never trained on: a hash of camera id and sequence
 * number decides, so every run, restart and instance holds out the same frames, and a frame read
 * twice lands on the same side both times.
 */
record HoldOut(double share) {

    boolean holds(String camera, long sequence) {
        return share > 0 && uniform(camera, sequence) < share;
    }

    /** A number in [0, 1) fixed by camera and sequence: the SplitMix64 finaliser over both. */
    static double uniform(String camera, long sequence) {
        long z = camera.hashCode() * 0x9E3779B97F4A7C15L + sequence;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
