package dev.framestream.trainer.offline;

import java.util.SplittableRandom;

import dev.framestream.media.Dataset;
import dev.framestream.model.Preprocessing;

/**
 * Fits a preprocessing's per-channel mean and std to training images, so the network's input is
 * centred with unit variance (the inputs a freshly initialised network trains best on).
 */
final class Normalisation {
    /* The statistics of a few thousand images are as good as of all, and cost nothing. */
    private static final int SAMPLE = 5000;

    private Normalisation() {
    }

    static Preprocessing fit(Preprocessing base, Dataset train, long seed) {
        Preprocessing scaled = new Preprocessing(base.width(), base.height(), base.border(), base.colour(), base.scale(), new float[0], new float[0]);
        int channels = base.colour().channels();
        int plane = base.width() * base.height();
        float[] input = new float[channels * plane];
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        int[] order = Dataset.shuffled(train.size(), new SplittableRandom(seed));
        int count = Math.min(SAMPLE, train.size());
        for (int n = 0; n < count; n++) {
            scaled.apply(train.images().get(order[n]), input, 0);
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < plane; i++) {
                    double v = input[c * plane + i];
                    sum[c] += v;
                    squares[c] += v * v;
                }
            }
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        double values = (double) count * plane;
        for (int c = 0; c < channels; c++) {
            mean[c] = (float) (sum[c] / values);
            std[c] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, squares[c] / values - mean[c] * (double) mean[c])));
        }
        return new Preprocessing(base.width(), base.height(), base.border(), base.colour(), base.scale(), mean, std);
    }
}
