package dev.framestream.ingest;

import java.util.Optional;
import java.util.function.LongConsumer;

import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.sources.FrameSource;
import dev.framestream.ingest.sources.SourceFrame;

/**
 * One camera's loop: read a frame from its source, number it, publish it, until the source ends
 * or the thread is interrupted. Sequence numbers count every frame read from 0, so a consumer can
 * tell a gap from a frame that was never there.
 */
public final class CameraIngest {
    private final String cameraId;
    private final FrameSource source;
    private final FramePublisher publisher;

    public CameraIngest(String cameraId, FrameSource source, FramePublisher publisher) {
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("a camera needs an id: it is the key of its frames");
        }
        this.cameraId = cameraId;
        this.source = source;
        this.publisher = publisher;
    }

    /**
     * Publishes the source's frames and returns how many were read.
     *
     * @param limit    stop after this many frames; negative for no limit
     * @param progress told the count after every frame (a progress bar), may do nothing
     */
    public long run(long limit, LongConsumer progress) {
        long sequence = 0;
        while ((limit < 0 || sequence < limit) && !Thread.currentThread().isInterrupted()) {
            Optional<SourceFrame> frame = source.next();
            if (frame.isEmpty()) {
                break;
            }
            publisher.publish(cameraId, sequence++, frame.get());
            progress.accept(sequence);
        }
        return sequence;
    }
}
