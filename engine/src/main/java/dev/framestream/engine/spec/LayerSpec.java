package dev.framestream.engine.spec;

/** One layer of an architecture spec, as written; {@link #toString()} gives its canonical text. */
public sealed interface LayerSpec {

    /** Whether the layer reads several values (named in the spec) rather than one. */
    default boolean joins() {
        return false;
    }

    /** {@code conv F KHxKW [stride S] [pad P]}. */
    record Conv(int filters, int kernelHeight, int kernelWidth, int stride, int pad) implements LayerSpec {
        @Override
        public String toString() {
            return "conv " + filters + " " + kernelHeight + "x" + kernelWidth
                    + (stride != 1 ? " stride " + stride : "") + (pad != 0 ? " pad " + pad : "");
        }
    }

    /** {@code maxpool K [stride S]} or {@code avgpool K [stride S]}; stride defaults to K. */
    record Pool(boolean max, int size, int stride) implements LayerSpec {
        @Override
        public String toString() {
            return (max ? "maxpool " : "avgpool ") + size + (stride != size ? " stride " + stride : "");
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
