package dev.framestream.media;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;


/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al.): big-endian magic {@code 0x00000803}
 * for images (count, rows, columns, then uint8 pixels) and {@code 0x00000801} for labels, gzipped
 * or not (told by the gzip magic, not the name).
 */
public final class IdxFiles {
    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private IdxFiles() {
    }

    /** The labels file that goes with an images file: {@code -images-idx3-} becomes {@code -labels-idx1-}. */
    public static Path labelsFor(Path images) {
        String name = images.getFileName().toString();
        if (!name.contains("images-idx3")) {
            throw new IllegalArgumentException(images + " is not named like an IDX images file (…images-idx3-ubyte[.gz]); give --labels");
        }
        return images.resolveSibling(name.replace("images-idx3", "labels-idx1"));
    }

    /**
     * Reads images and labels; classes are named by {@code classNames}, else Fashion-MNIST's names
     * when the path says fashion, else the digits 0 to 9.
     */
    public static Dataset read(Path images, Path labels, List<String> classNames) throws IOException {
        List<Image> pictures = new ArrayList<>();
        int[] values;
        try (DataInputStream in = open(images)) {
            int magic = in.readInt();
            if (magic != 0x803) {
                throw new IOException(images + " is not an IDX images file: magic " + String.format("0x%08x", magic) + ", expected 0x00000803");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            for (int n = 0; n < count; n++) {
                byte[] pixels = new byte[rows * columns];
                in.readFully(pixels);
                pictures.add(new Image(columns, rows, PixelFormat.GRAY8, pixels));
            }
        } catch (EOFException e) {
            throw new IOException(images + " ends before its last image; the file is truncated", e);
        }
        try (DataInputStream in = open(labels)) {
            int magic = in.readInt();
            if (magic != 0x801) {
                throw new IOException(labels + " is not an IDX labels file: magic " + String.format("0x%08x", magic) + ", expected 0x00000801");
            }
            int count = in.readInt();
            if (count != pictures.size()) {
                throw new IOException(labels + " has " + count + " labels but " + images + " has " + pictures.size() + " images");
            }
            values = new int[count];
            for (int n = 0; n < count; n++) {
                values[n] = in.readUnsignedByte();
            }
        } catch (EOFException e) {
            throw new IOException(labels + " ends before its last label; the file is truncated", e);
        }
        int classes = 0;
        for (int v : values) {
            classes = Math.max(classes, v + 1);
        }
        List<String> names = classNames.isEmpty() ? defaultNames(images, Math.max(classes, 2)) : classNames;
        return new Dataset(names, pictures, values, images.toString());
    }

    private static List<String> defaultNames(Path images, int classes) {
        if (classes == 10 && images.toString().toLowerCase(Locale.ROOT).contains("fashion")) {
            return FASHION;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static DataInputStream open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        in.mark(2);
        boolean gzipped = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new DataInputStream(gzipped ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in);
    }
}
