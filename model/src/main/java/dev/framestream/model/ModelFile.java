package dev.framestream.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.media.PixelFormat;
import dev.framestream.schemas.ColourOrder;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.RecordDecodingException;
import dev.framestream.schemas.Sha256;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.WeightTensor;

/**
 * A {@link Model} as a {@code ModelWeights} record in Avro single-object encoding: the bytes of a
 * model file and of a record on {@code model.weights} are the same. Reading checks everything a
 * server relies on (the record decodes, the architecture builds, every tensor is there with its
 * dimensions, the SHA-256 of the tensor payload matches, every value is finite) and says which
 * check failed.
 */
public final class ModelFile {
    private static final SingleObjectCodec<ModelWeights> CODEC = SingleObjectCodec.modelWeights();

    private ModelFile() {
    }

    /** Writes {@code model} to {@code path}, through a temporary file so a reader never sees half of it. */
    public static void save(Model model, Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        Files.write(partial, encode(model));
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads and checks a model file, building its network on the best kernels. */
    public static Model load(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no model file there; train one with framestream train --out " + path);
        }
        try {
            return decode(bytes, Kernels.best());
        } catch (InvalidModelException e) {
            throw new InvalidModelException(e.problem(), "model file " + path + ": " + e.getMessage(), e);
        }
    }

    public static byte[] encode(Model model) {
        return CODEC.encode(toRecord(model));
    }

    /** The record for {@code model}, with the SHA-256 of its tensors. */
    public static ModelWeights toRecord(Model model) {
        List<WeightTensor> tensors = new ArrayList<>();
        for (Parameter parameter : model.network().parameters().values()) {
            ByteBuffer data = ByteBuffer.allocate(parameter.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(parameter.values());
            tensors.add(new WeightTensor(parameter.name(), Arrays.stream(parameter.dims()).boxed().toList(), data));
        }
        Shape input = model.network().inputShape();
        Preprocessing p = model.preprocessing();
        TrainingSummary s = model.summary();
        return ModelWeights.newBuilder()
                .setModelName(model.name())
                .setVersion(model.version())
                .setParentVersion(model.parentVersion().isPresent() ? model.parentVersion().getAsLong() : null)
                .setCreatedTime(model.created())
                .setArchitecture(model.network().spec().toString())
                .setInputShape(List.of(input.channels(), input.height(), input.width()))
                .setClassNames(model.classNames())
                .setPreprocessing(new dev.framestream.schemas.Preprocessing(p.width(), p.height(), p.border(), ColourOrder.valueOf(colourName(p.colour())),
                        p.scale(), floats(p.mean()), floats(p.std())))
                .setTensors(tensors)
                .setTrainingSummary(dev.framestream.schemas.TrainingSummary.newBuilder()
                        .setExamplesSeen(s.examplesSeen()).setEpochs(s.epochs())
                        .setTrainLoss(measured(s.trainLoss())).setTrainAccuracy(measured(s.trainAccuracy()))
                        .setValidationLoss(measured(s.validationLoss())).setValidationAccuracy(measured(s.validationAccuracy()))
                        .setDataset(s.dataset()).setRecipe(s.recipe())
                        .setOffsetRanges(s.offsetRanges().stream()
                                .map(r -> new dev.framestream.schemas.OffsetRange(r.topic(), r.partition(), r.from(), r.to())).toList())
                        .build())
                .setSha256(new Sha256(sha256(tensors)))
                .build();
    }

    /** Decodes and checks model bytes; the network is built on {@code kernels}. */
    public static Model decode(byte[] bytes, Kernels kernels) {
        ModelWeights record;
        try {
            record = CODEC.decode(bytes);
        } catch (RecordDecodingException e) {
            throw new InvalidModelException(InvalidModelException.Problem.UNREADABLE, "not a framestream model: " + e.getMessage(), e);
        }
        return fromRecord(record, kernels);
    }

    /** Checks a record and builds its model. */
    public static Model fromRecord(ModelWeights record, Kernels kernels) {
        String name = record.getModelName() + " v" + record.getVersion();
        byte[] expected = record.getSha256().bytes();
        byte[] actual = sha256(record.getTensors());
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new InvalidModelException(InvalidModelException.Problem.CHECKSUM_MISMATCH, name + ": the tensors' SHA-256 is "
                    + HexFormat.of().formatHex(actual) + " but the record says " + HexFormat.of().formatHex(expected)
                    + "; the weights are corrupt, use another copy");
        }
        Network network;
        try {
            network = Network.build(ArchitectureSpec.parse(record.getArchitecture()), kernels);
        } catch (RuntimeException e) {
            throw shape(name + ": its architecture \"" + record.getArchitecture() + "\" does not build: " + e.getMessage());
        }
        List<Integer> inputShape = record.getInputShape();
        Shape input = network.inputShape();
        if (!inputShape.equals(List.of(input.channels(), input.height(), input.width()))) {
            throw shape(name + ": input shape " + inputShape + " does not match its architecture's input " + input);
        }
        Map<String, Parameter> parameters = network.parameters();
        List<String> names = record.getTensors().stream().map(WeightTensor::getName).toList();
        if (!names.equals(List.copyOf(parameters.keySet()))) {
            throw shape(name + ": it holds tensors " + names + " but its architecture has " + parameters.keySet());
        }
        for (WeightTensor tensor : record.getTensors()) {
            Parameter parameter = parameters.get(tensor.getName());
            int[] dims = tensor.getShape().stream().mapToInt(Integer::intValue).toArray();
            ByteBuffer data = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            if (!Arrays.equals(dims, parameter.dims()) || data.remaining() != parameter.size() * Float.BYTES) {
                throw shape(name + ": tensor " + tensor.getName() + " is " + tensor.getShape() + " with " + data.remaining()
                        + " bytes, the architecture needs " + parameter.dimsText() + " = " + parameter.size() * Float.BYTES + " bytes");
            }
            float[] values = new float[parameter.size()];
            data.asFloatBuffer().get(values);
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new InvalidModelException(InvalidModelException.Problem.NON_FINITE, name + ": tensor " + tensor.getName()
                            + " holds " + values[i] + " at index " + i + "; the training that made it diverged");
                }
            }
            network.setWeights(tensor.getName(), values);
        }
        dev.framestream.schemas.Preprocessing p = record.getPreprocessing();
        dev.framestream.schemas.TrainingSummary s = record.getTrainingSummary();
        try {
            return new Model(record.getModelName(), record.getVersion(),
                    record.getParentVersion() == null ? OptionalLong.empty() : OptionalLong.of(record.getParentVersion()),
                    record.getCreatedTime(), network, record.getClassNames(),
                    new Preprocessing(p.getWidth(), p.getHeight(), p.getBorder(), PixelFormat.valueOf(p.getColour().name() + "8"), p.getScale(),
                            unboxed(p.getMean()), unboxed(p.getStd())),
                    new TrainingSummary(s.getExamplesSeen(), s.getEpochs(), orNaN(s.getTrainLoss()), orNaN(s.getTrainAccuracy()),
                            orNaN(s.getValidationLoss()), orNaN(s.getValidationAccuracy()), s.getDataset(), s.getRecipe(),
                            s.getOffsetRanges().stream().map(r -> new OffsetRange(r.getTopic(), r.getPartition(), r.getFromOffset(),
                                    r.getToOffset())).toList()));
        } catch (IllegalArgumentException e) {
            throw shape(name + ": " + e.getMessage());
        }
    }

    /**
     * SHA-256 over, per tensor in order: its name in UTF-8, a zero byte, its dimensions as
     * little-endian int32, and its data, so a renamed or reshaped tensor changes the hash too.
     */
    public static byte[] sha256(List<WeightTensor> tensors) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (WeightTensor tensor : tensors) {
            digest.update(tensor.getName().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            ByteBuffer dims = ByteBuffer.allocate(tensor.getShape().size() * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            tensor.getShape().forEach(dims::putInt);
            digest.update(dims.array());
            digest.update(tensor.getData().duplicate());
        }
        return digest.digest();
    }

    private static InvalidModelException shape(String message) {
        return new InvalidModelException(InvalidModelException.Problem.SHAPE_MISMATCH, message);
    }

    private static String colourName(PixelFormat format) {
        return format.name().substring(0, format.name().length() - 1);
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }

    private static float[] unboxed(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    private static Double measured(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
