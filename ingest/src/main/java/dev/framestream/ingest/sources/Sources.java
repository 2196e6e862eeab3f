package dev.framestream.ingest.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.framestream.ingest.CameraConfig;
import dev.framestream.media.Dataset;
import dev.framestream.media.GridImage;
import dev.framestream.media.IdxFiles;
import dev.framestream.media.ImageFolder;
import dev.framestream.media.Images;

/** Opens a camera's source by what its {@code source} names: the synthetic camera, or a path or URL told apart by what it is. */
public final class Sources {

    private Sources() {
    }

    private static final Set<String> PICTURES = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "pgm", "ppm");

    /** Whether {@code path} is one still picture (by its extension), which with a cell size is read as a grid of labelled cells. */
    public static boolean isPicture(Path path) {
        String name = path.getFileName().toString();
        return !Files.isDirectory(path) && PICTURES.contains(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
    }

    /** Whether the source is live (a camera device or a stream URL): when it ends, it is reconnected. */
    public static boolean isLive(String source) {
        return source.contains("://") || source.startsWith("camera:");
    }

    /** The camera's source, started again at its end when the camera loops. */
    public static FrameSource open(CameraConfig camera) {
        if (!camera.loop()) {
            return openOnce(camera, 0);
        }
        AtomicInteger pass = new AtomicInteger();
        return new LoopingSource(() -> openOnce(camera, pass.getAndIncrement()));
    }

    /** The camera's source as it plays on its {@code pass}-th loop (a shuffled image set plays in a new order each time). */
    private static FrameSource openOnce(CameraConfig camera, int pass) {
        long now = System.currentTimeMillis();
        String source = camera.source();
        if (source.toLowerCase(Locale.ROOT).equals("synthetic")) {
            return new SyntheticCamera(camera.width(), camera.height(), -1, camera.captureFps(), now, camera.seed());
        }
        if (source.contains("://")) {
            return Videos.open(source, now);
        }
        int device = CameraDeviceSource.index(source);
        if (device >= 0) {
            return new CameraDeviceSource(device);
        }
        Path path = Path.of(source);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("source " + source + " is neither synthetic nor an existing file or folder");
        }
        try {
            if (Files.isDirectory(path)) {
                ImageFolder.Listing listing = ImageFolder.list(path);
                return new FolderSource(camera.shuffle() ? listing.reordered(order(camera, pass, listing.files().size())) : listing, now,
                        camera.captureFps());
            }
            Dataset images = null;
            if (path.getFileName().toString().contains("idx3")) {
                images = IdxFiles.read(path, IdxFiles.labelsFor(path), List.of());
            } else if (camera.cell() != null) {
                int[] cell = Images.parseSize(camera.cell(), "cell");
                images = GridImage.read(path, cell[0], cell[1], camera.rowsPerLabel(), List.of());
            }
            if (images != null) {
                // Timestamps start once the set is in memory: decoding a large grid image takes a while.
                return new DatasetSource(camera.shuffle() ? images.subset(order(camera, pass, images.size()), "shuffled") : images,
                        System.currentTimeMillis(), camera.captureFps());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return Videos.open(source, now);
    }

    /** A seeded random order of an image set's {@code size} images, different on every pass of a loop. */
    private static int[] order(CameraConfig camera, int pass, int size) {
        return Dataset.shuffled(size, new SplittableRandom(camera.seed() * 1_000_003L + pass));
    }
}
