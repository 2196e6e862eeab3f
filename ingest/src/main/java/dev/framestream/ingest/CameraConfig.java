package dev.framestream.ingest;

import dev.framestream.ingest.shaping.Shaping;
import dev.framestream.media.PixelFormat;

/**
 * Everything about one camera: where its frames come from and what happens to them, as the
 * command-line flags or one entry of a cameras YAML file give it. Unset values are null or the
 * documented defaults: build one with {@link #builder(String, String)}, naming only what differs.
 *
 * @param source        {@code synthetic}, a folder, an IDX images file, a grid image (with
 *                      {@code cell}), a video file or a stream URL
 * @param cell          grid image cell size {@code WxH}, or null
 * @param width         synthetic frames' width
 * @param captureFps    capture rate of synthetic and image-set frames
 * @param count         frames to read before stopping; -1 for all
 * @param loop          start a finite source again when it ends
 * @param shuffle       play an image set (folder, IDX, grid) in a random order drawn from
 *                      {@code seed}, a new order on every loop; videos and cameras keep theirs
 * @param crop          {@code x,y,w,h}, or null
 * @param resize        {@code WxH}, or null
 * @param pixelFormat   published pixel format, or null for the decoded one
 * @param labelledEvery every n-th labelled frame also goes to the labelled topic; 0 never
 */
public record CameraConfig(String id, String source, String cell, int rowsPerLabel, int width, int height, double captureFps,
                           long seed, long count, boolean loop, boolean shuffle, String crop, String resize, PixelFormat pixelFormat, double fps,
                           double motionThreshold, boolean realtime, int labelledEvery) {

    public CameraConfig {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("every camera needs an id: it is the key of its frames");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("camera " + id + " needs a source: synthetic, a file, a folder or a URL");
        }
        if (labelledEvery < 0) {
            throw new IllegalArgumentException("camera " + id + ": labelledEvery must be 0 (never) or more, got " + labelledEvery);
        }
    }

    /** A camera with every option at its default. */
    public static CameraConfig defaults(String id, String source) {
        return builder(id, source).build();
    }

    /**
     * A camera reading {@code source}, every other option at the default the flags and the cameras
     * file use; {@link Builder#build()} validates as the constructor does.
     */
    public static Builder builder(String id, String source) {
        return new Builder(id, source);
    }

    /** What happens to the frames between source and topic. */
    public CameraSettings settings() {
        return new CameraSettings(new Shaping(Shaping.parseCrop(crop), Shaping.parseSize(resize), pixelFormat), fps, motionThreshold,
                realtime, labelledEvery);
    }

    /** Builds a {@link CameraConfig}; each setter is the component of the same name. */
    public static final class Builder {
        private final String id;
        private final String source;
        private String cell;
        private int rowsPerLabel = 5;
        private int width = 64;
        private int height = 64;
        private double captureFps = 25;
        private long seed = 1;
        private long count = -1;
        private boolean loop;
        private boolean shuffle;
        private String crop;
        private String resize;
        private PixelFormat pixelFormat;
        private double fps;
        private double motionThreshold;
        private boolean realtime;
        private int labelledEvery = 1;

        private Builder(String id, String source) {
            this.id = id;
            this.source = source;
        }

        public Builder cell(String cell) {
            this.cell = cell;
            return this;
        }

        public Builder rowsPerLabel(int rowsPerLabel) {
            this.rowsPerLabel = rowsPerLabel;
            return this;
        }

        public Builder width(int width) {
            this.width = width;
            return this;
        }

        public Builder height(int height) {
            this.height = height;
            return this;
        }

        public Builder captureFps(double captureFps) {
            this.captureFps = captureFps;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder count(long count) {
            this.count = count;
            return this;
        }

        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        public Builder crop(String crop) {
            this.crop = crop;
            return this;
        }

        public Builder resize(String resize) {
            this.resize = resize;
            return this;
        }

        public Builder pixelFormat(PixelFormat pixelFormat) {
            this.pixelFormat = pixelFormat;
            return this;
        }

        public Builder fps(double fps) {
            this.fps = fps;
            return this;
        }

        public Builder motionThreshold(double motionThreshold) {
            this.motionThreshold = motionThreshold;
            return this;
        }

        public Builder realtime(boolean realtime) {
            this.realtime = realtime;
            return this;
        }

        public Builder labelledEvery(int labelledEvery) {
            this.labelledEvery = labelledEvery;
            return this;
        }

        /** The camera; the record's constructor rejects a missing id or source and a negative labelledEvery. */
        public CameraConfig build() {
            return new CameraConfig(id, source, cell, rowsPerLabel, width, height, captureFps, seed, count, loop, shuffle, crop, resize,
                    pixelFormat, fps, motionThreshold, realtime, labelledEvery);
        }
    }
}
