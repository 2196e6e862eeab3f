package dev.framestream.trainer.online;

import java.util.SplittableRandom;

/**
 * A uniform sample of every example offered so far, of bounded size (reservoir sampling,
 * Vitter's algorithm R): the n-th example replaces a random kept one with probability
 * capacity / n. A step that mixes in samples from it keeps rehearsing old cameras and classes, so
 * a long run of one of them does not erase the others.
 */
final class ReplayBuffer {
    private final Example[] kept;
    private final SplittableRandom random;
    private int size;
    private long offered;

    ReplayBuffer(int capacity, long seed) {
        this.kept = new Example[capacity];
        this.random = new SplittableRandom(seed);
    }

    void offer(Example example) {
        offered++;
        if (size < kept.length) {
            kept[size++] = example;
            return;
        }
        long slot = random.nextLong(offered);
        if (slot < kept.length) {
            kept[(int) slot] = example;
        }
    }

    /** A kept example drawn uniformly; the buffer must not be empty. */
    Example sample() {
        return kept[random.nextInt(size)];
    }

    int size() {
        return size;
    }

    long offered() {
        return offered;
    }
}
