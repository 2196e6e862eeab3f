package dev.framestream.bench.peers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.framestream.engine.tensor.Shape;

/**
 * ONNX Runtime's CPU execution provider through its Java binding, as a user would set it up for
 * speed: all graph optimisations, {@code threads} intra-op threads, sequential execution. The input
 * and output tensors are made once per batch size over direct buffers (the output pinned), so a run
 * allocates and copies nothing, as the engine's inference does not.
 */
public final class OnnxRuntimeRuntime implements Runtime {
    /** What {@link #name} starts with. */
    static final String NAME = "onnxruntime";

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final Shape inputShape;
    private final int outputSize;
    private final String inputName;
    private final String outputName;
    private OnnxTensor input;
    private OnnxTensor output;
    private FloatBuffer outputValues;

    /** {@code outputSize} is the number of output values per example. */
    public OnnxRuntimeRuntime(byte[] model, Shape inputShape, int outputSize, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            this.session = environment.createSession(model, options);
        }
        this.inputShape = inputShape;
        this.outputSize = outputSize;
        this.inputName = session.getInputNames().iterator().next();
        this.outputName = session.getOutputNames().iterator().next();
    }

    @Override
    public String name() {
        return NAME + " " + environment.getVersion();
    }

    @Override
    public void prepare(float[] values, int batch) throws OrtException {
        closeTensors();
        FloatBuffer in = direct(values.length).put(values).flip();
        long[] dims = inputShape.isFlat() ? new long[] {batch, inputShape.channels()}
                : new long[] {batch, inputShape.channels(), inputShape.height(), inputShape.width()};
        input = OnnxTensor.createTensor(environment, in, dims);
        outputValues = direct(batch * outputSize);
        output = OnnxTensor.createTensor(environment, outputValues, new long[] {batch, outputSize});
    }

    @Override
    public void run() throws OrtException {
        session.run(Map.of(inputName, input), Map.of(outputName, output)).close();
    }

    @Override
    public float[] output() {
        float[] copy = new float[outputValues.capacity()];
        outputValues.get(0, copy);
        return copy;
    }

    @Override
    public void close() throws OrtException {
        closeTensors();
        session.close();
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private void closeTensors() {
        if (input != null) {
            input.close();
            output.close();
            input = null;
        }
    }
}
