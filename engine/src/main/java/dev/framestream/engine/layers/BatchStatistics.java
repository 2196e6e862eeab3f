package dev.framestream.engine.layers;

/**
 * A layer whose training passes need sums over the whole batch, not only over the examples one
 * thread holds (batch normalisation). Training runs it in phases, adding the threads' sums up in a
 * fixed order between them:
 * <ol>
 *   <li>forward: every thread {@link #addForwardSums}; then, once, {@link #useBatchStatistics};
 *       then every thread {@link Layer#trainingForward};</li>
 *   <li>backward: every thread {@link #addParameterGradients}; then, once, {@link #useBatchGradients}
 *       with the threads' gradients added up; then every thread {@link Layer#backward}, which
 *       writes the input gradient only.</li>
 * </ol>
 */
public interface BatchStatistics {

    /** The fewest examples a training batch may have: 2 where one example gives one value per channel, else 1. */
    int minimumBatch();

    /** Doubles of one thread's forward sums. */
    int sumsLength();

    /** Adds examples {@code [from, to)}'s sums of the input to {@code sums}. */
    void addForwardSums(float[] in, int from, int to, double[] sums);

    /**
     * From every thread's sums, added up, over {@code batch} examples: the statistics the
     * training forward pass normalises with; {@link #stepTaken} later moves the running averages
     * towards them.
     *
     * @throws IllegalArgumentException if the batch has a single value per channel, whose variance says nothing
     */
    void useBatchStatistics(double[] sums, int batch);

    /** Adds examples {@code [from, to)}'s contributions to each parameter's gradient, aligned with {@link Layer#parameters()}. */
    void addParameterGradients(float[] in, float[] gradOut, int from, int to, float[][] gradients);

    /** The parameters' gradients over the whole batch, which the input gradient depends on. */
    void useBatchGradients(float[][] gradients, int batch);

    /** The step went through (it did not diverge): the running averages take in this batch's statistics. */
    void stepTaken();
}
