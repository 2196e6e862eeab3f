package dev.framestream.ingest.sources;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.framestream.media.Image;
import dev.framestream.media.ImageFiles;
import dev.framestream.media.ImageFolder;

/**
 * A folder as frames, decoded one at a time as they are sent, so a folder of any size streams in
 * constant memory: images in class sub-folders carry the sub-folder's name as truth (and so go to
 * the labelled topic too), images in the folder itself carry none. A file OpenCV cannot decode is
 * logged with its path, counted as a decode error and skipped.
 */
public final class FolderSource implements FrameSource {
    private static final Logger LOG = LoggerFactory.getLogger(FolderSource.class);

    private final ImageFolder.Listing listing;
    private final long startTime;
    private final double fps;
    private int next;
    private long decodeErrors;

    public FolderSource(Path root, long startTime, double fps) throws IOException {
        this(ImageFolder.list(root), startTime, fps);
    }

    /** The files of a listing, in the listing's order (which may be shuffled). */
    public FolderSource(ImageFolder.Listing listing, long startTime, double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("a folder source needs a positive frame rate for its timestamps, got " + fps);
        }
        this.listing = listing;
        this.startTime = startTime;
        this.fps = fps;
    }

    @Override
    public long size() {
        return listing.files().size();
    }

    @Override
    public Optional<SourceFrame> next() {
        while (next < listing.files().size()) {
            int i = next++;
            Path file = listing.files().get(i);
            Optional<Image> image = ImageFiles.read(file);
            if (image.isPresent()) {
                int label = listing.labels()[i];
                return Optional.of(new SourceFrame(image.get(), startTime + Math.round(i * 1000 / fps),
                        label < 0 ? null : listing.classNames().get(label), file.toString()));
            }
            LOG.warn("skipping {}: OpenCV cannot decode it as an image", file);
            decodeErrors++;
        }
        return Optional.empty();
    }

    @Override
    public long decodeErrors() {
        return decodeErrors;
    }
}
