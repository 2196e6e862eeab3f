package dev.framestream.app.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.framestream.ingest.CameraConfig;
import dev.framestream.ingest.sources.Sources;

/**
 * What the demo runs: where its frames come from, how fast, which network, and how often the
 * trainer publishes.
 *
 * @param data           null for the synthetic cameras, else an image folder, IDX images file, grid image or video
 * @param cell           the cell size of a grid image ({@code WxH})
 * @param model          a model file to start from, or null for random weights of {@code net}
 * @param cameras        cameras side by side: each plays the data (shuffled with its own seed) or draws its own digits
 * @param fps            frames per second of each camera, paced in real time
 * @param labelledEvery  every n-th frame with a truth also goes to the trainer; 0 = the trainer gets nothing
 * @param publishEvery   how often the trainer judges its challenger and publishes it when it passes the gate
 * @param duration       how long to run; null = until Ctrl-C
 * @param partitions     partitions of every topic
 */
public record DemoSettings(Path data, String cell, Path model, String net, int cameras, double fps, int labelledEvery, Duration publishEvery,
                           double learningRate, int engineThreads, Duration duration, int partitions, long seed) {
    public DemoSettings {
        if (cameras < 1 || cameras > 64) {
            throw new IllegalArgumentException("--cameras must be between 1 and 64, got " + cameras);
        }
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("--fps must be above 0 and at most 1000 frames per second per camera, got " + fps);
        }
        if (labelledEvery < 0) {
            throw new IllegalArgumentException("--labelled-every must be 0 (train on nothing) or more, got " + labelledEvery);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("--duration must be positive, e.g. 90s or 5m, got " + duration);
        }
        if (partitions < 1 || engineThreads < 1) {
            throw new IllegalArgumentException("--partitions and --threads must be at least 1");
        }
        if (data != null && !Files.exists(data)) {
            throw new IllegalArgumentException("--data " + data + " does not exist; give a grid image (e.g. OpenCV's digits.png),"
                    + " an image folder, an IDX images file or a video");
        }
        if (model != null && !Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model " + model + " is not a file; make one with framestream train, or leave it out"
                    + " to start from random weights");
        }
    }

    /** The ingest cameras: synthetic ones with seeds seed, seed + 1, ...; or the data, looped and shuffled per camera. */
    List<CameraConfig> cameraConfigs() {
        List<CameraConfig> configs = new ArrayList<>();
        for (int i = 0; i < cameras; i++) {
            boolean imageSet = data != null && !isVideo();
            configs.add(CameraConfig.builder(data == null ? "synthetic-" + (i + 1) : "replay-" + (i + 1), data == null ? "synthetic" : data.toString())
                    .cell(isGridImage() ? cell : null).captureFps(fps).seed(seed + i).loop(data != null).shuffle(imageSet).realtime(true)
                    .labelledEvery(labelledEvery).build());
        }
        return configs;
    }

    /** One line: what the cameras show. */
    String sourceDescription() {
        String each = cameras + " camera" + (cameras == 1 ? "" : "s") + " x " + trim(fps) + " fps";
        return data == null ? each + " of synthetic digits" : each + " replaying " + data.getFileName() + (isVideo() ? "" : " (shuffled, looped)");
    }

    private boolean isGridImage() {
        return data != null && Sources.isPicture(data);
    }

    private boolean isVideo() {
        return data != null && !Files.isDirectory(data) && !Sources.isPicture(data) && !data.getFileName().toString().contains("idx3");
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
