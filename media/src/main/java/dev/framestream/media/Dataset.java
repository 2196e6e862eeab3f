package dev.framestream.media;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;


/**
 * Labelled images in memory: image n has class {@code labels[n]}, an index into
 * {@code classNames}. Pixels stay uint8 until a batch is made, through the model's preprocessing.
 *
 * @param source where the images came from, for messages and the model's training summary
 */
public record Dataset(List<String> classNames, List<Image> images, int[] labels, String source) {

    public Dataset {
        classNames = List.copyOf(classNames);
        images = List.copyOf(images);
        if (images.size() != labels.length) {
            throw new IllegalArgumentException(source + ": " + images.size() + " images but " + labels.length + " labels");
        }
        for (int label : labels) {
            if (label < 0 || label >= classNames.size()) {
                throw new IllegalArgumentException(source + ": label " + label + " is not one of the " + classNames.size() + " classes");
            }
        }
    }

    public int size() {
        return images.size();
    }

    /**
     * Fails unless there is something to learn: at least one image, of at least two classes.
     *
     * @throws IllegalArgumentException saying what is missing
     */
    public Dataset requireTrainable() {
        if (images.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no images; point --data at a folder of class sub-folders, IDX files or a grid image");
        }
        Set<Integer> present = new HashSet<>();
        for (int label : labels) {
            present.add(label);
        }
        if (present.size() < 2) {
            throw new IllegalArgumentException(source + " holds only class " + classNames.get(labels[0])
                    + "; a classifier needs examples of at least two classes");
        }
        return this;
    }

    /** The images at {@code indices}, in that order. */
    public Dataset subset(int[] indices, String what) {
        List<Image> chosen = new ArrayList<>(indices.length);
        int[] chosenLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            chosen.add(images.get(indices[i]));
            chosenLabels[i] = labels[indices[i]];
        }
        return new Dataset(classNames, chosen, chosenLabels, source + " (" + what + ")");
    }

    /** A seeded split: the first of the pair holds {@code 1 - fraction} of the images, the second the rest. */
    public Dataset[] split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be between 0 and 1 (exclusive), got " + fraction);
        }
        int[] order = shuffled(size(), new SplittableRandom(seed));
        int held = (int) Math.round(size() * fraction);
        if (held == 0 || held == size()) {
            throw new IllegalArgumentException(source + ": a validation fraction of " + fraction + " of " + size()
                    + " images leaves one side empty");
        }
        return new Dataset[] {
                subset(java.util.Arrays.copyOfRange(order, held, order.length), "training " + Math.round(100 * (1 - fraction)) + " %"),
                subset(java.util.Arrays.copyOf(order, held), "validation " + Math.round(100 * fraction) + " %")};
    }

    /** 0 to n - 1 in a seeded random order (Fisher-Yates). */
    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
