package dev.framestream.ingest.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.framestream.ingest.CameraConfig;
import dev.framestream.media.GridImage;
import dev.framestream.media.IdxFiles;
import dev.framestream.media.Images;

/** Opens a camera's source by what its {@code source} names: the synthetic camera, or a path or URL told apart by what it is. */
public final class Sources {

    private Sources() {
    }

    /** Whether the source is live (a camera device or a stream URL): when it ends, it is reconnected. */
    public static boolean isLive(String source) {
        return source.contains("://") || source.startsWith("camera:");
    }

    /** The camera's source, started again at its end when the camera loops. */
    public static FrameSource open(CameraConfig camera) {
        return camera.loop() ? new LoopingSource(() -> openOnce(camera)) : openOnce(camera);
    }

    private static FrameSource openOnce(CameraConfig camera) {
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
                return new FolderSource(path, now, camera.captureFps());
            }
            if (path.getFileName().toString().contains("idx3")) {
                return new DatasetSource(IdxFiles.read(path, IdxFiles.labelsFor(path), List.of()), now, camera.captureFps());
            }
            if (camera.cell() != null) {
                int[] cell = Images.parseSize(camera.cell(), "cell");
                return new DatasetSource(GridImage.read(path, cell[0], cell[1], camera.rowsPerLabel(), List.of()), now, camera.captureFps());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return Videos.open(source, now);
    }
}
