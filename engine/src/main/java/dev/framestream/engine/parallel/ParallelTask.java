package dev.framestream.engine.parallel;

/** One parallel loop body: runs item {@code index} on the thread that holds scratch slot {@code worker}. */
@FunctionalInterface
public interface ParallelTask {

    /**
     * @param index  the item, in {@code [0, count)}
     * @param worker the scratch slot of the running thread, in {@code [0, threads)}; no two items
     *               run at the same time with the same slot
     */
    void run(int index, int worker);
}
