package dev.framestream.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/** {@code --batch N[,N...]}: the batch sizes a benchmark measures, each in the same rounds. */
public final class BatchSizesOption {

    @Option(names = "--batch", paramLabel = "N", split = ",",
            description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    /** @param defaults the sizes when neither the flag nor {@code FRAMESTREAM_BATCH} gives any */
    public BatchSizesOption(Integer... defaults) {
        this.sizes = new ArrayList<>(List.of(defaults));
    }

    /**
     * The sizes as given.
     *
     * @throws IllegalArgumentException if one is below 1, naming the flag
     */
    public List<Integer> sizes() {
        if (sizes.stream().anyMatch(size -> size < 1)) {
            throw new IllegalArgumentException("--batch sizes must be at least 1, got " + sizes);
        }
        return sizes;
    }
}
