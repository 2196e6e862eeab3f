package dev.framestream.app.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.framestream.ingest.CameraConfig;
import dev.framestream.ingest.sources.FrameSource;
import dev.framestream.ingest.sources.SourceFrame;
import dev.framestream.ingest.sources.Sources;

/**
 * The frames to replay, in a fixed order so a report can be made again: a recording, folder, IDX
 * file or grid image (opened the way ingest opens them), or a range of a topic.
 */
interface ReplaySource extends AutoCloseable {
    Pattern TOPIC = Pattern.compile("topic:([^@]+)(?:@(\\d+)\\.\\.(\\d+))?");

    /** The next frame, or empty at the end. */
    Optional<Sample> next();

    /** Frames it will yield when known (for the progress bar), else -1. */
    long size();

    /** Records it could not use (unreadable records, undecodable images), with why, for the report. */
    Map<String, Long> skipped();

    /** One line: what is replayed. */
    String description();

    @Override
    void close();

    /**
     * Opens {@code spec}: {@code topic:NAME[@FROM..TO]} (offsets FROM inclusive to TO exclusive on
     * every partition; without a range, everything committed now), or a path.
     *
     * @param cell   cell size of a grid image ({@code WxH})
     * @param client Kafka client settings, for a topic
     */
    static ReplaySource open(String spec, String cell, Map<String, Object> client) {
        Matcher topic = TOPIC.matcher(spec);
        if (spec.startsWith("topic:")) {
            if (!topic.matches()) {
                throw new IllegalArgumentException("--source " + spec + ": write topic:NAME or topic:NAME@FROM..TO, e.g. topic:frames.labelled@0..5000");
            }
            long from = topic.group(2) == null ? 0 : Long.parseLong(topic.group(2));
            long to = topic.group(3) == null ? Long.MAX_VALUE : Long.parseLong(topic.group(3));
            if (to <= from) {
                throw new IllegalArgumentException("--source " + spec + ": the range " + from + ".." + to + " is empty; TO is exclusive");
            }
            return new TopicReplay(client, topic.group(1), from, to);
        }
        Path path = Path.of(spec);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--source " + spec + " does not exist; give a video, an image folder, an IDX images file, a grid"
                    + " image (with --cell) or topic:NAME[@FROM..TO]");
        }
        boolean grid = Sources.isPicture(path);
        CameraConfig camera = CameraConfig.builder("evaluate", spec).cell(grid ? cell : null).labelledEvery(0).build();
        FrameSource frames = Sources.open(camera);
        return new ReplaySource() {
            private long index;

            @Override
            public Optional<Sample> next() {
                Optional<SourceFrame> frame = frames.next();
                long at = index++;
                return frame.map(f -> new Sample(f.description() == null || f.description().isBlank() ? spec + "#" + at : f.description(),
                        f.image(), f.truth()));
            }

            @Override
            public long size() {
                return frames.size();
            }

            @Override
            public Map<String, Long> skipped() {
                return frames.decodeErrors() == 0 ? Map.of() : Map.of("undecodable frames", frames.decodeErrors());
            }

            @Override
            public String description() {
                return spec;
            }

            @Override
            public void close() {
                frames.close();
            }
        };
    }
}
