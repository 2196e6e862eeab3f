package dev.framestream.engine.layers;

import java.util.Arrays;
import java.util.List;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * Batch normalisation (Ioffe and Szegedy 2015) per channel:
 * {@code y = gamma · (x - mean) / sqrt(var + eps) + beta}. Training normalises by the batch's
 * mean and (biased) variance over examples and plane, and moves the running averages towards
 * them ({@code running = (1 - momentum) running + momentum batch}, the variance unbiased, as
 * PyTorch does); inference uses the running averages, which makes the layer a per-channel scale
 * and shift, and the engine folds it into a convolution before it (see {@code Conv2D#foldedWith}).
 *
 * <p>The backward pass (Training's phases, {@link BatchStatistics}): with {@code x̂} the normalised
 * input and N the values per channel in the batch, {@code dgamma = Σ dy · x̂}, {@code dbeta = Σ dy},
 * and {@code dx = gamma / sqrt(var + eps) · (dy - (dbeta + x̂ · dgamma) / N)}.
 */
public final class BatchNorm implements ExampleLayer, BatchStatistics {
    private final String name;
    private final Shape shape;
    private final float epsilon;
    private final float momentum;
    private final Elementwise kernels;
    private final int channels;
    private final int plane;
    private final int slices;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVariance;
    private final float[] scale;           // inference: gamma / sqrt(running var + eps)
    private final float[] shift;           // inference: beta - running mean · scale
    private final float[] batchMean;
    private final float[] batchVariance;   // unbiased, for the running average
    private final float[] batchInverseStd;
    private final float[] batchScale;
    private final float[] batchShift;
    private final float[] gradientSum;     // Σ dy over the batch, per channel
    private final float[] gradientDot;     // Σ dy · x̂ over the batch, per channel
    private int batchValues;               // N: values per channel in the batch
    private long version;

    public BatchNorm(String name, Shape shape, float epsilon, float momentum, Elementwise kernels) {
        this.name = name;
        this.shape = shape;
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.kernels = kernels;
        this.channels = shape.channels();
        this.plane = shape.height() * shape.width();
        this.slices = Math.min(channels, 8);
        this.gamma = new Parameter(name + ".weight", new int[] {channels}, new float[channels]);
        this.beta = new Parameter(name + ".bias", new int[] {channels}, new float[channels]);
        this.runningMean = new Parameter(name + ".running_mean", new int[] {channels}, new float[channels]);
        this.runningVariance = new Parameter(name + ".running_var", new int[] {channels}, new float[channels]);
        this.scale = new float[channels];
        this.shift = new float[channels];
        this.batchMean = new float[channels];
        this.batchVariance = new float[channels];
        this.batchInverseStd = new float[channels];
        this.batchScale = new float[channels];
        this.batchShift = new float[channels];
        this.gradientSum = new float[channels];
        this.gradientDot = new float[channels];
        reset();
    }

    /** The identity's values: gamma 1, beta 0, running mean 0 and variance 1. */
    public void reset() {
        Arrays.fill(gamma.values(), 1f);
        Arrays.fill(beta.values(), 0f);
        Arrays.fill(runningMean.values(), 0f);
        Arrays.fill(runningVariance.values(), 1f);
        parametersChanged();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return new LayerSpec.BatchNorm(epsilon, momentum).toString();
    }

    @Override
    public Shape inputShape() {
        return shape;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public List<Parameter> state() {
        return List.of(runningMean, runningVariance);
    }

    /** Counts changes of the parameters or state, so a folded copy knows when to fold again. */
    public long version() {
        return version;
    }

    /** The inference scale per channel, {@code gamma / sqrt(running var + eps)}: live, do not write. */
    public float[] scale() {
        return scale;
    }

    /** The inference shift per channel, {@code beta - running mean · scale}: live, do not write. */
    public float[] shift() {
        return shift;
    }

    @Override
    public void parametersChanged() {
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (gamma.values()[c] / Math.sqrt(runningVariance.values()[c] + (double) epsilon));
            shift[c] = beta.values()[c] - runningMean.values()[c] * scale[c];
        }
        version++;
    }

    @Override
    public long flopsPerExample() {
        return 2L * shape.size();
    }

    @Override
    public int slices() {
        return slices;
    }

    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int from = ExampleLayer.sliceStart(channels, slices, firstSlice);
        int to = ExampleLayer.sliceStart(channels, slices, endSlice);
        for (int c = from; c < to; c++) {
            int at = (example * channels + c) * plane;
            kernels.scaleShift(in, at, scale[c], shift[c], out, at, plane);
        }
    }

    @Override
    public int minimumBatch() {
        return plane == 1 ? 2 : 1;
    }

    @Override
    public int sumsLength() {
        return 2 * channels;
    }

    /** Per channel the sum of x and of x², in double: the variance as E[x²] - E[x]² then loses little. */
    @Override
    public void addForwardSums(float[] in, int from, int to, double[] sums) {
        for (int e = from; e < to; e++) {
            for (int c = 0; c < channels; c++) {
                int at = (e * channels + c) * plane;
                double sum = 0;
                double squares = 0;
                for (int i = at; i < at + plane; i++) {
                    sum += in[i];
                    squares += (double) in[i] * in[i];
                }
                sums[c] += sum;
                sums[channels + c] += squares;
            }
        }
    }

    @Override
    public void useBatchStatistics(double[] sums, int batch) {
        long n = (long) batch * plane;
        if (n < 2) {
            throw new IllegalArgumentException(name + " normalises over a batch of one value per channel, whose variance is 0;"
                    + " train with batches of at least 2 examples");
        }
        for (int c = 0; c < channels; c++) {
            double mean = sums[c] / n;
            double variance = Math.max(0, sums[channels + c] / n - mean * mean);
            batchMean[c] = (float) mean;
            batchInverseStd[c] = (float) (1 / Math.sqrt(variance + epsilon));
            batchScale[c] = gamma.values()[c] * batchInverseStd[c];
            batchShift[c] = beta.values()[c] - batchMean[c] * batchScale[c];
            batchVariance[c] = (float) (variance * n / (n - 1));
        }
        batchValues = (int) n;
    }

    @Override
    public void stepTaken() {
        float[] mu = runningMean.values();
        float[] var = runningVariance.values();
        for (int c = 0; c < channels; c++) {
            mu[c] = (float) ((1 - momentum) * mu[c] + momentum * batchMean[c]);
            var[c] = (float) ((1 - momentum) * var[c] + momentum * batchVariance[c]);
        }
    }

    @Override
    public void trainingForward(float[] in, float[] out, int from, int to, long seed, float[] scratch) {
        for (int e = from; e < to; e++) {
            for (int c = 0; c < channels; c++) {
                int at = (e * channels + c) * plane;
                kernels.scaleShift(in, at, batchScale[c], batchShift[c], out, at, plane);
            }
        }
    }

    @Override
    public void addParameterGradients(float[] in, float[] gradOut, int from, int to, float[][] gradients) {
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double dot = 0;
            float mean = batchMean[c];
            for (int e = from; e < to; e++) {
                int at = (e * channels + c) * plane;
                for (int i = at; i < at + plane; i++) {
                    sum += gradOut[i];
                    dot += gradOut[i] * (in[i] - mean);
                }
            }
            gradients[0][c] += (float) (dot * batchInverseStd[c]);
            gradients[1][c] += (float) sum;
        }
    }

    @Override
    public void useBatchGradients(float[][] gradients, int batch) {
        System.arraycopy(gradients[0], 0, gradientDot, 0, channels);
        System.arraycopy(gradients[1], 0, gradientSum, 0, channels);
    }

    /** The input gradient alone: the parameters' gradients came from {@link #addParameterGradients}. */
    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        if (gradIn == null) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            float factor = gamma.values()[c] * batchInverseStd[c];
            for (int e = from; e < to; e++) {
                kernels.batchNormBackward(in, gradOut, gradIn, (e * channels + c) * plane, plane, batchMean[c], batchInverseStd[c],
                        factor, gradientSum[c] / batchValues, gradientDot[c] / batchValues);
            }
        }
    }
}
