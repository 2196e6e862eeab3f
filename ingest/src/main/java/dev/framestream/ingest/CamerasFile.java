package dev.framestream.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.framestream.media.PixelFormat;

/**
 * Many cameras from one YAML file, each entry with the options of {@code framestream ingest}:
 *
 * <pre>
 * cameras:
 *   - id: door
 *     source: /recordings/door.mp4
 *     fps: 5
 *     resize: 64x64
 *     motionThreshold: 2
 *     realtime: true
 *     loop: true
 *   - id: digits
 *     source: /usr/share/doc/opencv-doc/examples/data/digits.png
 *     cell: 20x20
 *     labelledEvery: 1
 * </pre>
 * Keys: id, source, cell, rowsPerLabel, width, height, captureFps, seed, count, loop, shuffle, crop,
 * resize, pixelFormat, fps, motionThreshold, realtime, labelledEvery. An unknown key is an error that
 * lists the known ones, so a typo is not silently ignored.
 */
public final class CamerasFile {
    private static final Set<String> KEYS = Set.of("id", "source", "cell", "rowsPerLabel", "width", "height", "captureFps", "seed", "count",
            "loop", "shuffle", "crop", "resize", "pixelFormat", "fps", "motionThreshold", "realtime", "labelledEvery");

    private CamerasFile() {
    }

    public static List<CameraConfig> read(Path file) throws IOException {
        Object root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file), Object.class);
        } catch (IOException e) {
            throw new IOException(file + " is not readable YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("cameras") instanceof List<?> entries) || entries.isEmpty()) {
            throw new IllegalArgumentException(file + " needs a list under \"cameras:\", one entry per camera with at least id and source");
        }
        List<CameraConfig> cameras = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(file + ": every camera is a map of options, got " + entry);
            }
            CameraConfig camera = camera(file, map);
            if (!ids.add(camera.id())) {
                throw new IllegalArgumentException(file + ": camera id " + camera.id() + " appears twice; ids are the frames' keys");
            }
            cameras.add(camera);
        }
        return cameras;
    }

    private static CameraConfig camera(Path file, Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(file + ": unknown camera option \"" + key + "\"; known: " + new java.util.TreeSet<>(KEYS));
            }
        }
        String id = text(map, "id", null);
        CameraConfig d = CameraConfig.defaults(id == null ? "?" : id, "synthetic");
        try {
            String format = text(map, "pixelFormat", null);
            // Options in the order the flags list them, so the first bad one is the one reported, as before.
            return CameraConfig.builder(id, text(map, "source", null))
                    .cell(text(map, "cell", d.cell()))
                    .rowsPerLabel(number(map, "rowsPerLabel", d.rowsPerLabel()).intValue())
                    .width(number(map, "width", d.width()).intValue())
                    .height(number(map, "height", d.height()).intValue())
                    .captureFps(number(map, "captureFps", d.captureFps()).doubleValue())
                    .seed(number(map, "seed", d.seed()).longValue())
                    .count(number(map, "count", d.count()).longValue())
                    .loop(flag(map, "loop", d.loop()))
                    .shuffle(flag(map, "shuffle", d.shuffle()))
                    .crop(text(map, "crop", d.crop()))
                    .resize(text(map, "resize", d.resize()))
                    .pixelFormat(format == null ? null : PixelFormat.valueOf(format.toUpperCase(Locale.ROOT)))
                    .fps(number(map, "fps", d.fps()).doubleValue())
                    .motionThreshold(number(map, "motionThreshold", d.motionThreshold()).doubleValue())
                    .realtime(flag(map, "realtime", d.realtime()))
                    .labelledEvery(number(map, "labelledEvery", d.labelledEvery()).intValue())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": camera " + id + ": " + e.getMessage(), e);
        }
    }

    private static String text(Map<?, ?> map, String key, String fallback) {
        Object value = map.get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    private static Number number(Map<?, ?> map, String key, Number fallback) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number;
        }
        throw new IllegalArgumentException(key + " must be a number, got \"" + value + "\"");
    }

    private static boolean flag(Map<?, ?> map, String key, boolean fallback) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw new IllegalArgumentException(key + " must be true or false, got \"" + value + "\"");
    }
}
