package dev.framestream.ingest.sources;

import java.util.Optional;

import dev.framestream.media.Dataset;

/**
 * The images of a labelled set (an image folder, IDX files, a grid image) as frames, in order,
 * each with its class name as truth, timestamped {@code 1/fps} apart from {@code startTime}.
 */
public final class DatasetSource implements FrameSource {
    private final Dataset data;
    private final long startTime;
    private final double fps;
    private int next;

    public DatasetSource(Dataset data, long startTime, double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("a dataset source needs a positive frame rate for its timestamps, got " + fps);
        }
        this.data = data;
        this.startTime = startTime;
        this.fps = fps;
    }

    @Override
    public long size() {
        return data.size();
    }

    @Override
    public Optional<SourceFrame> next() {
        if (next >= data.size()) {
            return Optional.empty();
        }
        int i = next++;
        return Optional.of(new SourceFrame(data.images().get(i), startTime + Math.round(i * 1000 / fps),
                data.classNames().get(data.labels()[i]), data.source() + "#" + i));
    }
}
