package dev.framestream.classifier;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The values the {@code camera} tag of the classifier's meters may take. The tag comes from record
 * keys, which any producer writes: each distinct value is a time series in the metrics backend, so
 * a producer sending junk keys would grow them without bound. A key that looks like a camera id
 * (up to 64 of a-z A-Z 0-9 . _ - :) is its own label until {@link #MAX_CAMERAS} are known; every
 * other key, and every one past the cap, counts under {@link #OTHER}.
 */
final class CameraLabels {
    /** The label of keys that are no camera id, or beyond the cap. */
    static final String OTHER = "other";
    /** More cameras than one classifier instance serves in practice, few enough for any metrics backend. */
    static final int MAX_CAMERAS = 1000;

    private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /** The label to count {@code key} under. */
    String of(String key) {
        // Known cameras first: this runs for every frame, and only a new key needs the pattern.
        if (key != null && known.contains(key)) {
            return key;
        }
        if (key == null || key.equals(OTHER) || !CAMERA_ID.matcher(key).matches()) {
            return OTHER;
        }
        synchronized (known) {
            if (known.size() >= MAX_CAMERAS) {
                return OTHER;
            }
            known.add(key);
            return key;
        }
    }
}
