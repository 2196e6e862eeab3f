package dev.framestream.app.evaluate;

import java.util.List;
import java.util.Map;

/**
 * What one model did on the replay. Everything but {@link Timing} depends only on the frames and
 * the weights, so the same replay of the same version gives the same figures.
 *
 * @param frames       frames the model classified
 * @param scored       of those, frames whose truth is one of the model's classes (the accuracy's base)
 * @param unknownTruth frames with a truth the model has no class for
 * @param confusion    rows: true class, columns: predicted class, in the order of {@code classes}
 * @param overReplay   accuracy of each successive {@code bucketFrames} scored frames, in replay order
 */
record Scores(String model, long version, String sha256, List<String> classes, long frames, long scored, long correct, int k, long topKCorrect,
              long unknownTruth, Map<String, Long> refused, long[][] confusion, List<ClassScore> perClass, int bucketFrames,
              double[] overReplay, Map<String, Long> predicted) {

    double accuracy() {
        return scored == 0 ? Double.NaN : (double) correct / scored;
    }

    double topKAccuracy() {
        return scored == 0 ? Double.NaN : (double) topKCorrect / scored;
    }

    /** Precision, recall and F1 of one class; NaN where a ratio has nothing to divide by. */
    record ClassScore(String name, long support, long predicted, double precision, double recall, double f1) {
    }

    /** Speed, from pixels to labels: this part differs from run to run. */
    record Timing(int batch, int batches, double framesPerSecond, double p50Millis, double p90Millis, double p99Millis) {
    }
}
