package dev.framestream.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * A folder with one sub-folder per class ({@code root/cat/001.jpg}); the sub-folder names, sorted,
 * are the class names. Any format OpenCV decodes; a file it cannot read is logged with its path,
 * counted in {@link Result#skipped()} and left out.
 */
public final class ImageFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);

    private ImageFolder() {
    }

    /** The images read and the files that could not be. */
    public record Result(Dataset dataset, List<Path> skipped) {
    }

    /**
     * The files of a folder, not yet decoded, for a caller that streams them: those in class
     * sub-folders with their label, then those in the folder itself, unlabelled (label -1).
     */
    public record Listing(List<String> classNames, List<Path> files, int[] labels) {

        /** The files at {@code order}, in that order. */
        public Listing reordered(int[] order) {
            List<Path> chosen = new ArrayList<>(order.length);
            int[] chosenLabels = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                chosen.add(files.get(order[i]));
                chosenLabels[i] = labels[order[i]];
            }
            return new Listing(classNames, chosen, chosenLabels);
        }
    }

    /** Lists {@code root}'s class sub-folders (sorted, hidden ones left out), their files, then its own files, without decoding any. */
    public static Listing list(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a folder");
        }
        List<Path> classes;
        try (Stream<Path> children = Files.list(root)) {
            classes = children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            try (Stream<Path> walk = Files.walk(classes.get(label))) {
                for (Path file : walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                    files.add(file);
                    labels.add(label);
                }
            }
        }
        try (Stream<Path> own = Files.list(root)) {
            for (Path file : own.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                files.add(file);
                labels.add(-1);
            }
        }
        return new Listing(classes.stream().map(p -> p.getFileName().toString()).toList(), files,
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Decodes every labelled image of the folder into memory (files beside the class folders have
     * no class and are not read); unreadable files are logged, listed in the result and left out.
     */
    public static Result read(Path root) throws IOException {
        Listing listing = list(root);
        List<Image> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        for (int i = 0; i < listing.files().size(); i++) {
            if (listing.labels()[i] < 0) {
                continue;
            }
            Path file = listing.files().get(i);
            Optional<Image> image = ImageFiles.read(file);
            if (image.isPresent()) {
                images.add(image.get());
                labels.add(listing.labels()[i]);
            } else {
                LOG.warn("skipping {}: OpenCV cannot decode it as an image", file);
                skipped.add(file);
            }
        }
        return new Result(new Dataset(listing.classNames(), images, labels.stream().mapToInt(Integer::intValue).toArray(), root.toString()),
                skipped);
    }
}
