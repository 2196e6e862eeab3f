package dev.framestream.engine.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which buffer holds which value of a network, so a value's buffer goes to a later value once
 * nothing reads it any more: a graph then needs about as much memory as its widest cut, not the
 * sum of its activations. Time runs in whole units (a segment of layers, a layer's backward); a
 * buffer freed in one unit serves values born in a later one, never in the same.
 */
public final class BufferPlan {
    /** Marks a value whose buffer the caller provides (the network's input). */
    public static final int PROVIDED = -1;

    private final int[] slotOf;
    private final int[] slotFloats;

    private BufferPlan(int[] slotOf, int[] slotFloats) {
        this.slotOf = slotOf;
        this.slotFloats = slotFloats;
    }

    /**
     * @param floats  each value's size (floats per example)
     * @param born    the unit that first writes it, or {@link #PROVIDED}
     * @param lastRead the last unit that reads it ({@link Integer#MAX_VALUE}: it outlives the run)
     */
    public static BufferPlan plan(int[] floats, int[] born, int[] lastRead) {
        Integer[] order = new Integer[floats.length];
        for (int v = 0; v < order.length; v++) {
            order[v] = v;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(born[a], born[b]));   // stable: ties keep value order
        int[] slotOf = new int[floats.length];
        Arrays.fill(slotOf, PROVIDED);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        List<Integer> live = new ArrayList<>();
        for (int v : order) {
            if (born[v] == PROVIDED) {
                continue;
            }
            for (int i = live.size() - 1; i >= 0; i--) {
                int other = live.get(i);
                if (lastRead[other] < born[v]) {
                    free.add(slotOf[other]);
                    live.remove(i);
                }
            }
            slotOf[v] = take(free, sizes, floats[v]);
            live.add(v);
        }
        return new BufferPlan(slotOf, sizes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The free slot that fits best (the smallest that is large enough, else the largest, grown), or a new one. */
    private static int take(List<Integer> free, List<Integer> sizes, int floats) {
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
            int size = sizes.get(free.get(i));
            int bestSize = best < 0 ? -1 : sizes.get(free.get(best));
            boolean fits = size >= floats;
            boolean bestFits = bestSize >= floats;
            if (best < 0 || (fits && (!bestFits || size < bestSize)) || (!fits && !bestFits && size > bestSize)) {
                best = i;
            }
        }
        if (best < 0) {
            sizes.add(floats);
            return sizes.size() - 1;
        }
        int slot = free.remove(best);
        sizes.set(slot, Math.max(sizes.get(slot), floats));
        return slot;
    }

    /** The slot of value {@code value}, or {@link #PROVIDED}. */
    public int slotOf(int value) {
        return slotOf[value];
    }

    /** How many slots there are. */
    public int slots() {
        return slotFloats.length;
    }

    /** The floats per example slot {@code slot} must hold. */
    public int slotFloats(int slot) {
        return slotFloats[slot];
    }
}
