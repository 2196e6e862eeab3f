package dev.framestream.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;

/** One ONNX node with typed attribute access and defaults, and a label for messages. */
record Node(NodeProto proto) {

    String op() {
        return proto.getOpType();
    }

    /** {@code Conv "conv_0"}, or the node's first output when it has no name. */
    String label() {
        String name = proto.getName().isEmpty() ? (proto.getOutputCount() > 0 ? proto.getOutput(0) : "?") : proto.getName();
        return op() + " \"" + name + "\"";
    }

    /** The {@code i}th input's tensor name, or empty when the input is absent or left blank (optional inputs). */
    Optional<String> input(int i) {
        return i < proto.getInputCount() && !proto.getInput(i).isEmpty() ? Optional.of(proto.getInput(i)) : Optional.empty();
    }

    List<String> inputs() {
        return proto.getInputList();
    }

    List<String> outputs() {
        return proto.getOutputList();
    }

    long integer(String name, long fallback) {
        return attribute(name).map(AttributeProto::getI).orElse(fallback);
    }

    float real(String name, float fallback) {
        return attribute(name).map(AttributeProto::getF).orElse(fallback);
    }

    String text(String name, String fallback) {
        return attribute(name).map(a -> a.getS().toStringUtf8()).orElse(fallback);
    }

    /** An INTS attribute, or {@code fallback} when absent. */
    long[] integers(String name, long[] fallback) {
        return attribute(name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray()).orElse(fallback);
    }

    Optional<AttributeProto> attribute(String name) {
        return proto.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    /** Fails unless every value of an INTS attribute equals {@code expected}: e.g. dilations must be all 1. */
    void requireAll(String name, long expected, String why) {
        long[] values = integers(name, null);
        if (values != null && Arrays.stream(values).anyMatch(v -> v != expected)) {
            throw unsupported(name + "=" + Arrays.toString(values) + " (" + why + ")");
        }
    }

    OnnxException unsupported(String what) {
        return OnnxException.unsupported(label() + ": " + what + " is not supported by the engine");
    }

    OnnxException malformed(String what) {
        return OnnxException.malformed(label() + ": " + what);
    }
}
