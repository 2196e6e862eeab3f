package dev.framestream.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {

    /** Three 2x3 images with pixel values n*10 + i, labels 2, 0, 1. */
    static void write(Path images, Path labels, boolean gzip, int labelCount) throws IOException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(pixels);
        out.writeInt(0x803);
        out.writeInt(3);
        out.writeInt(2);
        out.writeInt(3);
        for (int n = 0; n < 3; n++) {
            for (int i = 0; i < 6; i++) {
                out.writeByte(n * 10 + i);
            }
        }
        ByteArrayOutputStream marks = new ByteArrayOutputStream();
        DataOutputStream labelOut = new DataOutputStream(marks);
        labelOut.writeInt(0x801);
        labelOut.writeInt(labelCount);
        labelOut.write(Arrays.copyOf(new byte[] {2, 0, 1}, labelCount));
        Files.write(images, gzip ? gzip(pixels.toByteArray()) : pixels.toByteArray());
        Files.write(labels, gzip ? gzip(marks.toByteArray()) : marks.toByteArray());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsImagesAndLabelsGzippedOrNot(@TempDir Path dir) throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            Path images = dir.resolve("train-images-idx3-ubyte" + (gzip ? ".gz" : ""));
            Path labels = IdxFiles.labelsFor(images);
            write(images, labels, gzip, 3);
            Dataset data = IdxFiles.read(images, labels, List.of());
            assertEquals(3, data.size());
            assertEquals(3, data.images().get(1).width());
            assertEquals(2, data.images().get(1).height());
            assertEquals(15, data.images().get(1).at(2, 1, 0));
            assertEquals(List.of(2, 0, 1), Arrays.stream(data.labels()).boxed().toList());
            assertEquals(List.of("0", "1", "2"), data.classNames());
        }
    }

    @Test
    void aLabelCountThatDiffersFromTheImagesIsNamed(@TempDir Path dir) throws IOException {
        Path images = dir.resolve("t-images-idx3-ubyte");
        Path labels = dir.resolve("t-labels-idx1-ubyte");
        write(images, labels, false, 2);
        IOException error = assertThrows(IOException.class, () -> IdxFiles.read(images, labels, List.of()));
        assertTrue(error.getMessage().contains("2 labels but") && error.getMessage().contains("3 images"), error.getMessage());
    }

    @Test
    void aTruncatedOrForeignFileSaysSo(@TempDir Path dir) throws IOException {
        Path images = dir.resolve("t-images-idx3-ubyte");
        Path labels = dir.resolve("t-labels-idx1-ubyte");
        write(images, labels, false, 3);
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length - 4));
        IOException cut = assertThrows(IOException.class, () -> IdxFiles.read(images, labels, List.of()));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        Files.write(images, "hello, not idx".getBytes());
        IOException foreign = assertThrows(IOException.class, () -> IdxFiles.read(images, labels, List.of()));
        assertTrue(foreign.getMessage().contains("not an IDX images file"), foreign.getMessage());
    }
}
