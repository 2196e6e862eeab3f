package dev.framestream.engine.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.Parameter;

/**
 * The parameters' gradients of a training step: one set per chunk of the batch, each layer's view
 * of it, and their sum into chunk 0's, cut into ranges that run in parallel. The chunks are added
 * in chunk order, so the sum is the same on every run.
 */
final class ParameterGradients {
    /** Values per range of the sum and the update: large enough to amortise a task, small enough to spread. */
    static final int RANGE = 1 << 15;

    private final List<Parameter> parameters;
    private final float[][][] chunkGradients;      // [chunk][parameter] -> values
    private final float[][][][] layerGradients;    // [chunk][layer] -> the layer's parameters' gradients
    private final int[] rangeParameter;
    private final int[] rangeStart;
    private final double[] rangeSquares;

    ParameterGradients(List<Layer> layers, List<Parameter> parameters, int chunks) {
        this.parameters = parameters;
        this.chunkGradients = new float[chunks][parameters.size()][];
        this.layerGradients = new float[chunks][layers.size()][][];
        for (int c = 0; c < chunks; c++) {
            for (int p = 0; p < parameters.size(); p++) {
                chunkGradients[c][p] = new float[parameters.get(p).size()];
            }
            int p = 0;
            for (int l = 0; l < layers.size(); l++) {
                int count = layers.get(l).parameters().size();
                layerGradients[c][l] = Arrays.copyOfRange(chunkGradients[c], p, p + count);
                p += count;
            }
        }
        List<int[]> ranges = new ArrayList<>();
        for (int p = 0; p < parameters.size(); p++) {
            for (int start = 0; start < parameters.get(p).size(); start += RANGE) {
                ranges.add(new int[] {p, start});
            }
        }
        this.rangeParameter = ranges.stream().mapToInt(r -> r[0]).toArray();
        this.rangeStart = ranges.stream().mapToInt(r -> r[1]).toArray();
        this.rangeSquares = new double[ranges.size()];
    }

    /** {@code [chunk][layer]}: each chunk's gradients of each layer's parameters, aligned with {@link Layer#parameters()}. */
    float[][][][] byLayer() {
        return layerGradients;
    }

    /** Zeroes chunk {@code chunk}'s gradients. */
    void clear(int chunk) {
        for (float[] gradient : chunkGradients[chunk]) {
            Arrays.fill(gradient, 0f);
        }
    }

    /** How many ranges {@link #sum} and {@link #parameter} cut the parameters into. */
    int ranges() {
        return rangeSquares.length;
    }

    /** Sums range {@code range} of the first {@code used} chunks' gradients into chunk 0's, in chunk order, with its squares. */
    void sum(int range, int used) {
        int p = rangeParameter[range];
        int start = rangeStart[range];
        int end = end(range);
        float[] total = chunkGradients[0][p];
        for (int c = 1; c < used; c++) {
            float[] part = chunkGradients[c][p];
            for (int i = start; i < end; i++) {
                total[i] += part[i];
            }
        }
        double squares = 0;
        for (int i = start; i < end; i++) {
            squares += (double) total[i] * total[i];
        }
        rangeSquares[range] = squares;
    }

    /** The sum's global L2 norm, after every range's {@link #sum}. */
    double norm() {
        double squares = 0;
        for (double s : rangeSquares) {
            squares += s;
        }
        return Math.sqrt(squares);
    }

    /** The index among the parameters of range {@code range}. */
    int parameter(int range) {
        return rangeParameter[range];
    }

    int start(int range) {
        return rangeStart[range];
    }

    int end(int range) {
        return Math.min(parameters.get(rangeParameter[range]).size(), rangeStart[range] + RANGE);
    }

    /** The summed gradient of parameter {@code p}: live. */
    float[] total(int p) {
        return chunkGradients[0][p];
    }
}
