package dev.framestream.engine.spec;

/** One layer of an architecture spec, as written; {@link #toString()} gives its canonical text. */
public sealed interface LayerSpec {

    /** Whether the layer reads several values (named in the spec) rather than one. */
    default boolean joins() {
        return false;
    }

    /**
     * {@code conv F KHxKW [stride S] [pad P] [groups G]}: with G groups each filter sees C / G of
     * the input's channels (depthwise: G = C).
     */
    record Conv(int filters, int kernelHeight, int kernelWidth, int stride, int pad, int groups) implements LayerSpec {
        public Conv(int filters, int kernelHeight, int kernelWidth, int stride, int pad) {
            this(filters, kernelHeight, kernelWidth, stride, pad, 1);
        }

        @Override
        public String toString() {
            return "conv " + filters + " " + kernelHeight + "x" + kernelWidth
                    + (stride != 1 ? " stride " + stride : "") + (pad != 0 ? " pad " + pad : "") + (groups != 1 ? " groups " + groups : "");
        }
    }

    /**
     * {@code maxpool K [stride S] [pad P] [ceil]} or the same with {@code avgpool}; stride defaults
     * to K. Padding adds P positions on every side that no window's statistic counts; {@code ceil}
     * keeps a last, partial window where the input's edge cuts it.
     */
    record Pool(boolean max, int size, int stride, int pad, boolean ceil) implements LayerSpec {
        public Pool(boolean max, int size, int stride) {
            this(max, size, stride, 0, false);
        }

        @Override
        public String toString() {
            return (max ? "maxpool " : "avgpool ") + size + (stride != size ? " stride " + stride : "")
                    + (pad != 0 ? " pad " + pad : "") + (ceil ? " ceil" : "");
        }
    }

    /**
     * {@code batchnorm [eps E] [momentum M]}: each channel normalised by the batch's mean and
     * variance in training, by running averages of them at inference, then scaled and shifted by
     * learnt values. Defaults eps 1e-5, momentum 0.1 (PyTorch's: {@code running = (1 - M) running + M batch}).
     */
    record BatchNorm(float epsilon, float momentum) implements LayerSpec {
        public static final float EPSILON = 1e-5f;
        public static final float MOMENTUM = 0.1f;

        public BatchNorm() {
            this(EPSILON, MOMENTUM);
        }

        @Override
        public String toString() {
            return "batchnorm" + (epsilon != EPSILON ? " eps " + number(epsilon) : "")
                    + (momentum != MOMENTUM ? " momentum " + number(momentum) : "");
        }
    }

    /** {@code globalavgpool}: each channel's mean, C x H x W to C x 1 x 1. */
    record GlobalAveragePool() implements LayerSpec {
        @Override
        public String toString() {
            return "globalavgpool";
        }
    }

    /** {@code fc N}: fully connected to N outputs. */
    record Dense(int outputs) implements LayerSpec {
        @Override
        public String toString() {
            return "fc " + outputs;
        }
    }

    /** {@code dropout P}: drops a fraction P in training, identity at inference. */
    record Dropout(double rate) implements LayerSpec {
        @Override
        public String toString() {
            return "dropout " + rate;
        }
    }

    /** {@code relu}. */
    record Relu() implements LayerSpec {
        @Override
        public String toString() {
            return "relu";
        }
    }

    /** {@code clip MIN MAX}: {@code y = min(max(x, MIN), MAX)}; {@code relu6} is clip 0 6. */
    record Clip(float min, float max) implements LayerSpec {
        public static final Clip RELU6 = new Clip(0f, 6f);

        @Override
        public String toString() {
            return equals(RELU6) ? "relu6" : "clip " + number(min) + " " + number(max);
        }
    }

    /** {@code leakyrelu A}: {@code y = x} for positive x, else {@code A x}, with A in [0, 1). */
    record LeakyRelu(float slope) implements LayerSpec {
        @Override
        public String toString() {
            return "leakyrelu " + number(slope);
        }
    }

    /** {@code sigmoid}: {@code y = 1 / (1 + exp(-x))}. */
    record Sigmoid() implements LayerSpec {
        @Override
        public String toString() {
            return "sigmoid";
        }
    }

    /** The shortest text that parses back to {@code value}: {@code 6} rather than {@code 6.0}. */
    private static String number(float value) {
        return value == Math.rint(value) && Math.abs(value) < 1e7f ? Integer.toString((int) value) : Float.toString(value);
    }

    /** {@code flatten}. */
    record Flatten() implements LayerSpec {
        @Override
        public String toString() {
            return "flatten";
        }
    }

    /** {@code add}: the element-wise sum of its inputs, which have one shape (a residual join). */
    record Add() implements LayerSpec {
        @Override
        public String toString() {
            return "add";
        }

        @Override
        public boolean joins() {
            return true;
        }
    }

    /** {@code concat}: its inputs one after another along the channels (same height and width). */
    record Concat() implements LayerSpec {
        @Override
        public String toString() {
            return "concat";
        }

        @Override
        public boolean joins() {
            return true;
        }
    }

    /** {@code softmax}. */
    record Softmax() implements LayerSpec {
        @Override
        public String toString() {
            return "softmax";
        }
    }
}
