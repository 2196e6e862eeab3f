package dev.framestream.engine.layers;

/**
 * A convolution and the batch normalisation after it as one convolution for inference: with the
 * normalisation's scale {@code s} and shift {@code t} per filter, the weights {@code W · s} and the
 * bias {@code b · s + t}. The network keeps both layers (training needs them apart); this holds
 * the folded copy and folds again when either layer's values have changed since.
 */
public final class BatchNormFold {
    private final Conv2D conv;
    private final BatchNorm norm;
    private final Conv2D folded;
    private volatile long convVersion = -1;
    private volatile long normVersion = -1;

    public BatchNormFold(Conv2D conv, BatchNorm norm) {
        if (!norm.inputShape().equals(conv.outputShape())) {
            throw new IllegalArgumentException(norm.name() + " does not normalise " + conv.name() + "'s output");
        }
        this.conv = conv;
        this.norm = norm;
        this.folded = conv.copy(conv.name() + "+" + norm.name());
        refresh();
    }

    /** The folded convolution: run it where the two layers would run. */
    public Conv2D folded() {
        return folded;
    }

    /**
     * Folds again if the convolution's or the normalisation's values changed; call before a batch
     * runs. Up to date, it only reads two counters, so the inferences of several threads do not
     * queue on it per batch.
     */
    public void refresh() {
        if (upToDate()) {
            return;
        }
        synchronized (this) {
            if (!upToDate()) {
                fold();
            }
        }
    }

    private boolean upToDate() {
        return convVersion == conv.version() && normVersion == norm.version();
    }

    private void fold() {
        float[] weight = conv.parameters().get(0).values();
        float[] bias = conv.parameters().get(1).values();
        float[] foldedWeight = folded.parameters().get(0).values();
        float[] foldedBias = folded.parameters().get(1).values();
        float[] scale = norm.scale();
        float[] shift = norm.shift();
        int perFilter = weight.length / bias.length;
        for (int f = 0; f < bias.length; f++) {
            for (int i = f * perFilter; i < (f + 1) * perFilter; i++) {
                foldedWeight[i] = weight[i] * scale[f];
            }
            foldedBias[f] = bias[f] * scale[f] + shift[f];
        }
        folded.parametersChanged();
        convVersion = conv.version();
        normVersion = norm.version();
    }
}
