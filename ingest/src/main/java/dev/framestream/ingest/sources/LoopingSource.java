package dev.framestream.ingest.sources;

import java.util.Optional;
import java.util.function.Supplier;

/** A finite source played again from the start whenever it ends ({@code --loop}); stops if a fresh one is empty. */
public final class LoopingSource implements FrameSource {
    private final Supplier<FrameSource> opener;
    private FrameSource current;

    public LoopingSource(Supplier<FrameSource> opener) {
        this.opener = opener;
        this.current = opener.get();
    }

    @Override
    public Optional<SourceFrame> next() {
        Optional<SourceFrame> frame = current.next();
        if (frame.isPresent()) {
            return frame;
        }
        current.close();
        current = opener.get();
        return current.next();
    }

    @Override
    public void close() {
        current.close();
    }
}
