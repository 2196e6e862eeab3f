package dev.framestream.engine.tensor;

import java.util.Arrays;

/**
 * A batch of examples in NCHW float32: {@code batch} examples of {@code shape}, example {@code n}
 * starting at {@code n * shape.size()} in {@code data}. The array may be longer than the batch
 * needs (a workspace sized for a larger batch); only the first {@code batch * shape.size()} floats
 * belong to the tensor.
 */
public record Tensor(int batch, Shape shape, float[] data) {

    public Tensor {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must not be negative, got " + batch);
        }
        long needed = (long) batch * shape.size();
        if (data.length < needed) {
            throw new IllegalArgumentException("tensor " + batch + "x" + shape + " needs " + needed
                    + " floats but its array holds " + data.length);
        }
    }

    /** A new zero-filled tensor. */
    public static Tensor zeros(int batch, Shape shape) {
        return new Tensor(batch, shape, new float[Math.multiplyExact(batch, shape.size())]);
    }

    /** Number of floats the batch occupies. */
    public int size() {
        return batch * shape.size();
    }

    /** Offset of example {@code n} in {@code data}. */
    public int offset(int n) {
        return n * shape.size();
    }

    /** A copy of example {@code n}'s values. */
    public float[] example(int n) {
        return Arrays.copyOfRange(data, offset(n), offset(n + 1));
    }

    @Override
    public String toString() {
        return "Tensor[" + batch + "x" + shape + "]";
    }
}
