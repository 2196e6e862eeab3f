package dev.framestream.media;

/**
 * Loads OpenCV's native library (bundled in the {@code org.openpnp:opencv} jar) once per JVM
 * before the first use of its classes.
 */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {
    }

    /** Loads the library if no call has yet. */
    public static void load() {
        if (!loaded) {
            synchronized (OpenCv.class) {
                if (!loaded) {
                    // loadLocally extracts the native library for this OS and loads it with System.load;
                    // loadShared patches java.library.path by reflection, which modern JDKs refuse.
                    nu.pattern.OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }
}
