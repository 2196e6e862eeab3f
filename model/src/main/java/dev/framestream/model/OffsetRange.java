package dev.framestream.model;

/**
 * Input records an online-trained version consumed: offsets {@code [from, to)} of one partition.
 */
public record OffsetRange(String topic, int partition, long from, long to) {

    public OffsetRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("an offset range runs from a non-negative offset up to one at least as large, got "
                    + from + ".." + to + " of " + topic + "-" + partition);
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + from + ".." + to;
    }
}
