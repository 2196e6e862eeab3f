package dev.framestream.classifier.inference;

import java.util.ArrayList;
import java.util.List;

import dev.framestream.schemas.LabelProbability;

/** The most probable classes of one output row, most probable first. */
public final class TopK {

    private TopK() {
    }

    /**
     * The {@code k} largest of {@code scores[offset .. offset+classes)} with their class names; ties
     * go to the lower class index, so the same output always gives the same list. When
     * {@code logits}, the scores are turned into probabilities by a softmax first.
     */
    public static List<LabelProbability> of(float[] scores, int offset, int classes, List<String> names, int k, boolean logits) {
        float[] p = new float[classes];
        System.arraycopy(scores, offset, p, 0, classes);
        if (logits) {
            softmax(p);
        }
        int count = Math.min(k, classes);
        int[] best = new int[count];
        boolean[] taken = new boolean[classes];
        for (int rank = 0; rank < count; rank++) {
            int top = -1;
            for (int c = 0; c < classes; c++) {
                if (!taken[c] && (top < 0 || p[c] > p[top])) {
                    top = c;
                }
            }
            taken[top] = true;
            best[rank] = top;
        }
        List<LabelProbability> labels = new ArrayList<>(count);
        for (int c : best) {
            labels.add(new LabelProbability(names.get(c), p[c]));
        }
        return labels;
    }

    /** In place, shifted by the maximum so no exponent overflows. */
    private static void softmax(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] / sum);
        }
    }
}
