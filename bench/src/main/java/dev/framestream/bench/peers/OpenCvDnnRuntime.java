package dev.framestream.bench.peers;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

import dev.framestream.engine.tensor.Shape;
import dev.framestream.media.OpenCv;

/**
 * OpenCV DNN (the openpnp build the project already uses) on its own CPU backend, with
 * {@code threads} threads ({@code cv::setNumThreads}, which is global to the process).
 */
public final class OpenCvDnnRuntime implements Runtime {
    /** What {@link #name} starts with. */
    static final String NAME = "opencv-dnn";

    private final Net net;
    private final Shape inputShape;
    private final int threads;
    private Mat input;
    private Mat output;

    public OpenCvDnnRuntime(byte[] model, Shape inputShape, int threads) {
        OpenCv.load();
        this.net = Dnn.readNetFromONNX(new MatOfByte(model));
        net.setPreferableBackend(Dnn.DNN_BACKEND_OPENCV);
        net.setPreferableTarget(Dnn.DNN_TARGET_CPU);
        this.inputShape = inputShape;
        this.threads = threads;
    }

    @Override
    public String name() {
        return NAME + " " + Core.VERSION;
    }

    @Override
    public void prepare(float[] values, int batch) {
        Core.setNumThreads(threads);
        release();
        int[] dims = inputShape.isFlat() ? new int[] {batch, inputShape.channels()}
                : new int[] {batch, inputShape.channels(), inputShape.height(), inputShape.width()};
        input = new Mat(dims, CvType.CV_32F);
        input.put(new int[dims.length], values);
        net.setInput(input);
    }

    @Override
    public void run() {
        if (output != null) {
            output.release();
        }
        output = net.forward();
    }

    @Override
    public float[] output() {
        float[] values = new float[(int) output.total()];
        output.get(new int[output.dims()], values);
        return values;
    }

    @Override
    public void close() {
        release();
        if (output != null) {
            output.release();
        }
    }

    private void release() {
        if (input != null) {
            input.release();
        }
    }
}
