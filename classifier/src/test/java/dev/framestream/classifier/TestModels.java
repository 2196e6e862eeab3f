package dev.framestream.classifier;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import dev.framestream.engine.Network;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.model.Preprocessing;
import dev.framestream.model.TrainingSummary;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.Sha256;
import dev.framestream.schemas.WeightTensor;
import dev.framestream.schemas.SingleObjectCodec;

/** Small real models and frames for the classifier's tests. */
public final class TestModels {
    /** Grey 8x8 in, three classes out: small enough that a test runs it thousands of times. */
    public static final String GREY = "in 1x8x8 | conv 4 3x3 | relu | maxpool 2 | flatten | fc 3 | softmax";
    /** A residual block with batch norms (folded to serve) and a depthwise convolution: a graph, as imported nets are. */
    public static final String GRAPH = "in 1x8x8 | conv 4 3x3 pad 1 | batchnorm | relu as a | conv 4 3x3 pad 1 groups 4 | batchnorm"
            + " | add a | relu | globalavgpool | flatten | fc 3 | softmax";
    public static final String COLOUR = "in 3x8x8 | conv 4 3x3 | relu | maxpool 2 | flatten | fc 3 | softmax";
    public static final List<String> CLASSES = List.of("circle", "square", "triangle");

    private TestModels() {
    }

    /** Model {@code name} at {@code version} with weights drawn from {@code seed}. */
    public static Model model(String name, long version, String spec, long seed) {
        Network network = Network.build(spec);
        network.initialise(seed);
        return new Model(name, version, version == 1 ? OptionalLong.empty() : OptionalLong.of(version - 1), Instant.ofEpochMilli(1_000),
                network, CLASSES, Preprocessing.unitScale(network.inputShape()), TrainingSummary.none());
    }

    public static ModelWeights record(Model model) {
        return ModelFile.toRecord(model);
    }

    /** A frame whose pixels depend on {@code seed}, so different frames get different outputs. */
    public static Frame frame(String camera, long sequence, int width, int height, PixelFormat format, long seed, String truth) {
        int channels = format == PixelFormat.GRAY8 ? 1 : 3;
        byte[] pixels = new byte[width * height * channels];
        java.util.Random random = new java.util.Random(seed);
        random.nextBytes(pixels);
        return Frame.newBuilder().setCameraId(camera).setSequence(sequence).setCaptureTime(Instant.ofEpochMilli(500_000 + sequence))
                .setWidth(width).setHeight(height).setChannels(channels).setPixelFormat(format)
                .setPixels(ByteBuffer.wrap(pixels)).setTruth(truth).setSource("test#" + sequence).build();
    }

    public static byte[] bytes(Frame frame) {
        return SingleObjectCodec.frame().encode(frame);
    }

    /** {@code model}'s weights plus seeded noise of {@code amplitude}, as {@code version}: a new version that still works. */
    public static Model perturbed(Model model, long version, float amplitude, long seed) {
        Network network = Network.build(model.network().spec(), model.network().kernels());
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (String name : model.network().parameters().keySet()) {
            float[] values = model.network().weights(name).clone();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) random.nextDouble(-amplitude, amplitude);
            }
            network.setWeights(name, values);
        }
        return new Model(model.name(), version, OptionalLong.of(version - 1), Instant.now(), network, model.classNames(),
                model.preprocessing(), model.summary());
    }

    /** The record with one value of tensor {@code name} replaced and the SHA-256 recomputed, so only the value checks can catch it. */
    public static ModelWeights withValue(ModelWeights record, String name, int index, float value) {
        List<WeightTensor> tensors = new java.util.ArrayList<>();
        for (WeightTensor tensor : record.getTensors()) {
            ByteBuffer data = ByteBuffer.allocate(tensor.getData().remaining()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            data.put(tensor.getData().duplicate()).flip();
            if (tensor.getName().toString().equals(name)) {
                data.putFloat(index * Float.BYTES, value);
            }
            tensors.add(new WeightTensor(tensor.getName(), tensor.getShape(), data));
        }
        return ModelWeights.newBuilder(record).setTensors(tensors).setSha256(new Sha256(ModelFile.sha256(tensors))).build();
    }
}
