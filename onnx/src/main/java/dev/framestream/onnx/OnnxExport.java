package dev.framestream.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.framestream.engine.Network;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * Writes an engine network as an ONNX model (opset {@value #OPSET}), so ONNX Runtime, OpenCV DNN
 * and other tools run it: input {@code "input"} {@code [batch, C, H, W]} (or {@code [batch, D]}),
 * output {@code "output"}. Initializers keep the engine's parameter names ({@code conv1.weight},
 * ...); nodes take the layer names. The spec travels as metadata {@code framestream.spec}.
 */
public final class OnnxExport {

    /** The operator set written: the Softmax and Dropout of opset 13. */
    public static final long OPSET = 13;
    /** IR version 7, which ONNX Runtime and OpenCV DNN read. */
    private static final long IR_VERSION = 7;
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private OnnxExport() {
    }

    /** Writes {@code network} to {@code file} (through a temporary file, so no reader sees half a model). */
    public static void write(Network network, Path file) throws IOException {
        write(network, Map.of(), file);
    }

    /** The same, with more metadata properties (class names, preprocessing, ...). */
    public static void write(Network network, Map<String, String> metadata, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        try {
            ModelProto.Builder model = toModel(network).toBuilder();
            new TreeMap<>(metadata).forEach((key, value) -> model.addMetadataProps(
                    StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
            Files.write(temporary, model.build().toByteArray());
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The network as an ONNX model. */
    public static ModelProto toModel(Network network) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("framestream");
        graph.addInput(valueInfo(INPUT, network.inputShape(), !network.inputShape().isFlat()));
        List<Layer> layers = network.layers();
        List<LayerSpec> specs = network.spec().layers();
        // Value v is the network's input (v = 0) or layer v - 1's output; a graph's nodes read them by name.
        String[] values = new String[layers.size() + 1];
        boolean[] images = new boolean[layers.size() + 1];   // the ONNX tensor is [N, C, H, W], not [N, D]
        values[0] = INPUT;
        images[0] = !network.inputShape().isFlat();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            LayerSpec spec = specs.get(i);
            List<String> inputs = network.inputs(i).stream().map(v -> values[v]).toList();
            boolean image = images[network.inputs(i).get(0)];
            values[i + 1] = node(graph, network, layer.name(), spec, image, inputs, i == layers.size() - 1 ? OUTPUT : layer.name());
            images[i + 1] = image && !(spec instanceof LayerSpec.Flatten || spec instanceof LayerSpec.Dense || spec instanceof LayerSpec.Softmax);
        }
        boolean image = images[layers.size()];
        if (layers.isEmpty()) {
            graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName("identity").addInput(INPUT).addOutput(OUTPUT));
        }
        Shape out = network.outputShape();
        graph.addOutput(valueInfo(OUTPUT, image ? out : Shape.flat(out.size()), image));
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("framestream");
        String version = Network.class.getPackage().getImplementationVersion();   // absent outside a packaged jar
        if (version != null) {
            model.setProducerVersion(version);
        }
        return model
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("framestream.spec").setValue(network.spec().toString()))
                .setGraph(graph)
                .build();
    }

    /** Adds the nodes of one layer reading {@code inputs}; returns the tensor it writes, {@code output}. */
    private static String node(GraphProto.Builder graph, Network network, String name, LayerSpec spec, boolean image,
                               List<String> inputs, String output) {
        NodeProto.Builder node = NodeProto.newBuilder().setName(name).addOutput(output);
        String input = inputs.get(0);
        switch (spec) {
            case LayerSpec.Conv c -> {
                node.setOpType("Conv").addInput(input).addInput(initializer(graph, network, name + ".weight"))
                        .addInput(initializer(graph, network, name + ".bias"))
                        .addAttribute(ints("kernel_shape", c.kernelHeight(), c.kernelWidth()))
                        .addAttribute(ints("strides", c.stride(), c.stride()))
                        .addAttribute(ints("pads", c.pad(), c.pad(), c.pad(), c.pad()))
                        .addAttribute(integer("group", c.groups()));
            }
            // The engine's mean is over the values a window covers: ONNX's default count_include_pad=0.
            case LayerSpec.Pool p -> node.setOpType(p.max() ? "MaxPool" : "AveragePool").addInput(input)
                    .addAttribute(ints("kernel_shape", p.size(), p.size()))
                    .addAttribute(ints("strides", p.stride(), p.stride()))
                    .addAttribute(ints("pads", p.pad(), p.pad(), p.pad(), p.pad()))
                    .addAttribute(integer("ceil_mode", p.ceil() ? 1 : 0));
            case LayerSpec.GlobalAveragePool g -> node.setOpType("GlobalAveragePool").addInput(input);
            // ONNX's momentum weighs the running value, the engine's the batch.
            case LayerSpec.BatchNorm b -> node.setOpType("BatchNormalization").addInput(input)
                    .addInput(initializer(graph, network, name + ".weight")).addInput(initializer(graph, network, name + ".bias"))
                    .addInput(initializer(graph, network, name + ".running_mean"))
                    .addInput(initializer(graph, network, name + ".running_var"))
                    .addAttribute(real("epsilon", b.epsilon()))
                    .addAttribute(real("momentum", Float.parseFloat(String.format(java.util.Locale.ROOT, "%.6g", 1 - (double) b.momentum()))));
            case LayerSpec.Dense d -> node.setOpType("Gemm").addInput(image ? flatten(graph, name, input) : input)
                    .addInput(initializer(graph, network, name + ".weight"))
                    .addInput(initializer(graph, network, name + ".bias"))
                    .addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1));
            case LayerSpec.Relu r -> node.setOpType("Relu").addInput(input);
            // From opset 11 Clip takes its bounds as inputs.
            case LayerSpec.Clip c -> {
                graph.addInitializer(Tensors.of(name + ".min", new long[0], new float[] {c.min()}));
                graph.addInitializer(Tensors.of(name + ".max", new long[0], new float[] {c.max()}));
                node.setOpType("Clip").addInput(input).addInput(name + ".min").addInput(name + ".max");
            }
            case LayerSpec.LeakyRelu l -> node.setOpType("LeakyRelu").addInput(input).addAttribute(real("alpha", l.slope()));
            case LayerSpec.Sigmoid s -> node.setOpType("Sigmoid").addInput(input);
            // ONNX's Add takes two inputs: a join of more is a chain of sums.
            case LayerSpec.Add a -> {
                String sum = inputs.get(0);
                for (int k = 1; k < inputs.size() - 1; k++) {
                    String partial = name + ".sum" + k;
                    graph.addNode(NodeProto.newBuilder().setOpType("Add").setName(partial).addInput(sum).addInput(inputs.get(k))
                            .addOutput(partial));
                    sum = partial;
                }
                node.setOpType("Add").addInput(sum).addInput(inputs.get(inputs.size() - 1));
            }
            case LayerSpec.Concat c -> node.setOpType("Concat").addAllInput(inputs).addAttribute(integer("axis", 1));
            case LayerSpec.Flatten f -> node.setOpType("Flatten").addInput(input).addAttribute(integer("axis", 1));
            case LayerSpec.Dropout d -> {
                String ratio = name + ".ratio";
                graph.addInitializer(Tensors.of(ratio, new long[0], new float[] {(float) d.rate()}));
                node.setOpType("Dropout").addInput(input).addInput(ratio);
            }
            // The engine's softmax spans the whole example: flatten first when the example is an image.
            case LayerSpec.Softmax s -> node.setOpType("Softmax").addInput(image ? flatten(graph, name, input) : input)
                    .addAttribute(integer("axis", 1));
        }
        graph.addNode(node);
        return output;
    }

    private static String flatten(GraphProto.Builder graph, String layerName, String input) {
        String output = layerName + ".flat";
        graph.addNode(NodeProto.newBuilder().setOpType("Flatten").setName(layerName + ".flatten").addInput(input).addOutput(output)
                .addAttribute(integer("axis", 1)));
        return output;
    }

    private static String initializer(GraphProto.Builder graph, Network network, String parameter) {
        var dims = network.parameters().get(parameter).dims();
        graph.addInitializer(Tensors.of(parameter, Arrays.stream(dims).asLongStream().toArray(), network.weights(parameter)));
        return parameter;
    }

    private static ValueInfoProto valueInfo(String name, Shape shape, boolean image) {
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        int[] sizes = image ? new int[] {shape.channels(), shape.height(), shape.width()} : new int[] {shape.size()};
        for (int size : sizes) {
            dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(size));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(dims))).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
