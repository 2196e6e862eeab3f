package dev.framestream.engine.layers;

import java.util.List;

import dev.framestream.engine.tensor.Shape;

/**
 * A layer that reads several values (a residual sum, a channel concatenation), one example at a
 * time. It has no weights. The network runs it through {@link #forward(float[][], float[], int)}
 * and {@link #backward(int, float[], float[], int, int)}; the one-input methods of
 * {@link Layer} do not apply to it.
 */
public non-sealed interface JoinLayer extends Layer {

    /** The shapes of the values it reads, in order; {@link #inputShape()} is the first. */
    List<Shape> inputShapes();

    @Override
    default Shape inputShape() {
        return inputShapes().get(0);
    }

    /** Computes example {@code example} from {@code ins}, one array per input, each holding the whole batch. */
    void forward(float[][] ins, float[] out, int example);

    /** Writes the gradient of input {@code input} for examples {@code [from, to)} from the output's gradient. */
    void backward(int input, float[] gradOut, float[] gradIn, int from, int to);

    @Override
    default void trainingForward(float[] in, float[] out, int from, int to, long seed, float[] scratch) {
        throw new UnsupportedOperationException(name() + " joins several values; call forward(float[][], float[], int)");
    }

    @Override
    default void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                          float[][] gradients, long seed, float[] scratch) {
        throw new UnsupportedOperationException(name() + " joins several values; call backward(int, float[], float[], int, int)");
    }
}
