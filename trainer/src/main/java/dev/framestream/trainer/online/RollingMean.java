package dev.framestream.trainer.online;

/** The mean of the last {@code capacity} values: recent loss, recent test-then-train accuracy. */
final class RollingMean {
    private final double[] values;
    private int next;
    private int size;
    private double sum;

    RollingMean(int capacity) {
        this.values = new double[capacity];
    }

    void add(double value) {
        if (size == values.length) {
            sum -= values[next];
        } else {
            size++;
        }
        values[next] = value;
        sum += value;
        next = (next + 1) % values.length;
    }

    /** The mean, NaN before the first value. */
    double mean() {
        return size == 0 ? Double.NaN : sum / size;
    }

    boolean full() {
        return size == values.length;
    }
}
