package dev.framestream.engine.layers;

import java.util.Arrays;

import dev.framestream.engine.kernels.Elementwise;
import dev.framestream.engine.tensor.Shape;

/**
 * Each channel's mean over its whole plane, {@code C x H x W} to {@code C x 1 x 1}: the head of
 * ResNet, MobileNet and SqueezeNet, whatever the input size. A slice is a range of channels.
 */
public final class GlobalAveragePool implements ExampleLayer {
    private final String name;
    private final Shape input;
    private final Shape output;
    private final int slices;
    private final Elementwise kernels;

    public GlobalAveragePool(String name, Shape input, Elementwise kernels) {
        this.name = name;
        this.input = input;
        this.output = new Shape(input.channels(), 1, 1);
        this.slices = Math.min(input.channels(), 8);
        this.kernels = kernels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return "globalavgpool";
    }

    @Override
    public Shape inputShape() {
        return input;
    }

    @Override
    public Shape outputShape() {
        return output;
    }

    @Override
    public int slices() {
        return slices;
    }

    @Override
    public long flopsPerExample() {
        return input.size();
    }

    @Override
    public void forward(float[] in, float[] out, int example, int firstSlice, int endSlice, float[] scratch) {
        int channels = input.channels();
        int plane = input.height() * input.width();
        int from = ExampleLayer.sliceStart(channels, slices, firstSlice);
        int to = ExampleLayer.sliceStart(channels, slices, endSlice);
        for (int c = from; c < to; c++) {
            int at = example * channels + c;
            out[at] = kernels.sum(in, at * plane, plane) / plane;
        }
    }

    /** Every value of a plane gets an equal share of its channel's gradient. */
    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        if (gradIn == null) {
            return;
        }
        int plane = input.height() * input.width();
        for (int at = from * input.channels(); at < to * input.channels(); at++) {
            Arrays.fill(gradIn, at * plane, (at + 1) * plane, gradOut[at] / plane);
        }
    }
}
