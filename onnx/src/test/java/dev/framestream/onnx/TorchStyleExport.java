package dev.framestream.onnx;

import java.util.ArrayList;
import java.util.List;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.framestream.engine.Network;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.spec.LayerSpec;

/**
 * Writes a network as PyTorch's exporter writes the torchvision model of the same layout, for
 * tests (there is no PyTorch here): convolutions without a bias before a batch norm, which is a
 * BatchNormalization node of its own; ReLU6 as Clip with its bounds as attributes before opset 11
 * and as Constant inputs from it; no Dropout (evaluation mode); the flatten as
 * {@code x.view(x.size(0), -1)} writes it (Shape, Gather, Unsqueeze, Concat, Reshape) or as
 * Flatten; fc as Gemm with transB; the graph ending at the logits.
 */
final class TorchStyleExport {
    private final Network network;
    private final long opset;
    private final boolean viewFlatten;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("torch_jit");
    private int constants;

    private TorchStyleExport(Network network, long opset, boolean viewFlatten) {
        this.network = network;
        this.opset = opset;
        this.viewFlatten = viewFlatten;
    }

    /**
     * The model of {@code network}, which must not end in softmax and whose convolutions before a
     * batch norm must have zero biases (PyTorch's {@code bias=False}).
     */
    static ModelProto of(Network network, long opset, boolean viewFlatten) {
        return new TorchStyleExport(network, opset, viewFlatten).model();
    }

    private ModelProto model() {
        ArchitectureSpec spec = network.spec();
        List<String> values = new ArrayList<>(List.of("input"));
        graph.addInput(value("input", network.inputShape().channels(), network.inputShape().height(), network.inputShape().width()));
        for (int i = 0; i < spec.nodes().size(); i++) {
            Layer layer = network.layers().get(i);
            LayerSpec layerSpec = spec.nodes().get(i).layer();
            List<String> inputs = spec.nodes().get(i).inputs().stream().map(values::get).toList();
            boolean normalised = i + 1 < spec.nodes().size() && spec.nodes().get(i + 1).layer() instanceof LayerSpec.BatchNorm
                    && spec.nodes().get(i + 1).inputs().equals(List.of(i + 1));
            values.add(node(layer.name(), layerSpec, inputs, normalised));
        }
        String last = values.get(values.size() - 1);
        graph.addOutput(ValueInfoProto.newBuilder().setName(last));
        return ModelProto.newBuilder().setIrVersion(opset >= 15 ? 8 : 6).setProducerName("pytorch").setProducerVersion("2.1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    }

    /** The nodes of one layer; returns the tensor it writes. */
    private String node(String name, LayerSpec spec, List<String> inputs, boolean normalised) {
        String x = inputs.get(0);
        String out = "/" + name + "/output_0";
        switch (spec) {
            case LayerSpec.Conv c -> {
                NodeProto.Builder conv = op("Conv", name, out, x, weight(name + ".weight"));
                if (!normalised) {
                    conv.addInput(weight(name + ".bias"));
                } else if (anyNonZero(network.weights(name + ".bias"))) {
                    throw new IllegalArgumentException(name + " comes before a batch norm: PyTorch writes it without a bias; zero it");
                }
                conv.addAttribute(ints("dilations", 1, 1)).addAttribute(integer("group", c.groups()))
                        .addAttribute(ints("kernel_shape", c.kernelHeight(), c.kernelWidth()))
                        .addAttribute(ints("pads", c.pad(), c.pad(), c.pad(), c.pad())).addAttribute(ints("strides", c.stride(), c.stride()));
                graph.addNode(conv);
            }
            case LayerSpec.BatchNorm b -> graph.addNode(op("BatchNormalization", name, out, x, weight(name + ".weight"),
                    weight(name + ".bias"), weight(name + ".running_mean"), weight(name + ".running_var"))
                    .addAttribute(real("epsilon", b.epsilon())).addAttribute(real("momentum", 1 - b.momentum())));
            case LayerSpec.Relu r -> graph.addNode(op("Relu", name, out, x));
            case LayerSpec.Clip c -> {
                if (opset < 11) {
                    graph.addNode(op("Clip", name, out, x).addAttribute(real("min", c.min())).addAttribute(real("max", c.max())));
                } else {
                    graph.addNode(op("Clip", name, out, x, constant(new long[0], c.min()), constant(new long[0], c.max())));
                }
            }
            case LayerSpec.Pool p -> {
                NodeProto.Builder pool = op(p.max() ? "MaxPool" : "AveragePool", name, out, x)
                        .addAttribute(ints("kernel_shape", p.size(), p.size())).addAttribute(ints("pads", p.pad(), p.pad(), p.pad(), p.pad()))
                        .addAttribute(ints("strides", p.stride(), p.stride()));
                if (opset >= 10) {
                    pool.addAttribute(integer("ceil_mode", p.ceil() ? 1 : 0));
                } else if (p.ceil()) {
                    throw new IllegalArgumentException("ceil_mode needs opset 10");
                }
                graph.addNode(pool);
            }
            case LayerSpec.GlobalAveragePool g -> graph.addNode(op("GlobalAveragePool", name, out, x));
            case LayerSpec.Add a -> {
                String sum = inputs.get(0);
                for (int k = 1; k < inputs.size(); k++) {
                    String partial = k == inputs.size() - 1 ? out : out + "_" + k;
                    graph.addNode(op("Add", name + "_" + k, partial, sum, inputs.get(k)));
                    sum = partial;
                }
            }
            case LayerSpec.Concat c -> graph.addNode(op("Concat", name, out, inputs.toArray(String[]::new)).addAttribute(integer("axis", 1)));
            case LayerSpec.Flatten f -> {
                if (!viewFlatten) {
                    graph.addNode(op("Flatten", name, out, x).addAttribute(integer("axis", 1)));
                } else {
                    graph.addNode(op("Shape", name + "/Shape", out + "_shape", x));
                    graph.addNode(op("Gather", name + "/Gather", out + "_batch", out + "_shape", constantLongs(new long[0], 0))
                            .addAttribute(integer("axis", 0)));
                    NodeProto.Builder unsqueeze = op("Unsqueeze", name + "/Unsqueeze", out + "_batch1", out + "_batch");
                    if (opset < 13) {
                        unsqueeze.addAttribute(ints("axes", 0));
                    } else {
                        unsqueeze.addInput(constantLongs(new long[] {1}, 0));
                    }
                    graph.addNode(unsqueeze);
                    graph.addNode(op("Concat", name + "/Concat", out + "_target", out + "_batch1", constantLongs(new long[] {1}, -1))
                            .addAttribute(integer("axis", 0)));
                    graph.addNode(op("Reshape", name + "/Reshape", out, x, out + "_target"));
                }
            }
            case LayerSpec.Dense d -> graph.addNode(op("Gemm", name, out, x, weight(name + ".weight"), weight(name + ".bias"))
                    .addAttribute(real("alpha", 1)).addAttribute(real("beta", 1)).addAttribute(integer("transB", 1)));
            case LayerSpec.Dropout d -> {
                return x;                        // evaluation mode: the exporter leaves dropout out
            }
            case LayerSpec.LeakyRelu l -> graph.addNode(op("LeakyRelu", name, out, x).addAttribute(real("alpha", l.slope())));
            case LayerSpec.Sigmoid s -> graph.addNode(op("Sigmoid", name, out, x));
            case LayerSpec.Softmax s -> throw new IllegalArgumentException("torchvision's models end at the logits; drop the softmax");
        }
        return out;
    }

    private static NodeProto.Builder op(String type, String name, String output, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(type).setName("/" + name + "/" + type).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node;
    }

    private String weight(String parameter) {
        var dims = network.parameters().get(parameter).dims();
        graph.addInitializer(Tensors.of(parameter, java.util.Arrays.stream(dims).asLongStream().toArray(), network.weights(parameter)));
        return parameter;
    }

    /** A Constant node, as the exporter writes scalars. */
    private String constant(long[] dims, float value) {
        String name = "/Constant_" + constants++ + "_output_0";
        graph.addNode(NodeProto.newBuilder().setOpType("Constant").setName(name).addOutput(name)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(Tensors.of(name, dims, new float[] {value}))));
        return name;
    }

    private String constantLongs(long[] dims, long value) {
        String name = "/Constant_" + constants++ + "_output_0";
        graph.addNode(NodeProto.newBuilder().setOpType("Constant").setName(name).addOutput(name)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(Tensors.ofLongs(name, dims, new long[] {value}))));
        return name;
    }

    private static boolean anyNonZero(float[] values) {
        for (float v : values) {
            if (v != 0f) {
                return true;
            }
        }
        return false;
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch_size"));
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
