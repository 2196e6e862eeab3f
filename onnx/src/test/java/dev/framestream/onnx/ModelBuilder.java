package dev.framestream.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/** Small ONNX models written by hand, as another exporter would write them, for tests. */
final class ModelBuilder {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private long opset = 13;

    /** A float input {@code [batch, dims...]}. */
    ModelBuilder input(String name, long... dims) {
        graph.addInput(value(name, dims));
        return this;
    }

    ModelBuilder output(String name, long... dims) {
        graph.addOutput(value(name, dims));
        return this;
    }

    ModelBuilder initializer(String name, long[] dims, float... values) {
        graph.addInitializer(Tensors.of(name, dims, values));
        return this;
    }

    ModelBuilder longs(String name, long... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length);
        for (long value : values) {
            tensor.addInt64Data(value);
        }
        graph.addInitializer(tensor);
        return this;
    }

    /** A node; attributes as name, value pairs: Long, Float, String or long[]. */
    ModelBuilder node(String op, String[] inputs, String output, Object... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        for (int i = 0; i < attributes.length; i += 2) {
            AttributeProto.Builder attribute = AttributeProto.newBuilder().setName((String) attributes[i]);
            switch (attributes[i + 1]) {
                case Long l -> attribute.setType(AttributeProto.AttributeType.INT).setI(l);
                case Float f -> attribute.setType(AttributeProto.AttributeType.FLOAT).setF(f);
                case String s -> attribute.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
                case long[] ls -> {
                    attribute.setType(AttributeProto.AttributeType.INTS);
                    for (long l : ls) {
                        attribute.addInts(l);
                    }
                }
                default -> throw new IllegalArgumentException(String.valueOf(attributes[i + 1]));
            }
            node.addAttribute(attribute);
        }
        graph.addNode(node);
        return this;
    }

    ModelBuilder opset(long opset) {
        this.opset = opset;
        return this;
    }

    ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }
}
