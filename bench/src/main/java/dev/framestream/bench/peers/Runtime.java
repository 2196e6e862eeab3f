package dev.framestream.bench.peers;

/**
 * One way of running a network's forward pass: our engine, ONNX Runtime or OpenCV DNN. The
 * benchmark prepares a batch once, times {@link #run()} alone, and compares {@link #output()}s.
 * Not thread-safe; one per benchmark case.
 */
public interface Runtime extends AutoCloseable {

    /** What the table calls it, e.g. {@code onnxruntime 1.29.0}. */
    String name();

    /** Takes a batch ({@code batch} examples, NCHW floats) as the input of the next runs. */
    void prepare(float[] input, int batch) throws Exception;

    /** One forward pass of the prepared batch. */
    void run() throws Exception;

    /** A copy of the last run's output, {@code batch x outputs} floats. */
    float[] output() throws Exception;

    @Override
    void close() throws Exception;
}
