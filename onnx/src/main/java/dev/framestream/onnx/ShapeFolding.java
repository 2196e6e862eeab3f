package dev.framestream.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.framestream.engine.tensor.Shape;

/**
 * Works out at import the integer arithmetic exporters write around a flatten: PyTorch's
 * {@code x.view(x.size(0), -1)} becomes Shape, Gather, Unsqueeze, Concat and a Reshape reading the
 * result. Each such node's output becomes a constant, with the batch size, unknown until run
 * time, held as {@link #BATCH}; Reshape takes that at position 0 as "keep the batch".
 */
final class ShapeFolding {
    /** The batch dimension in a folded shape. */
    static final long BATCH = Long.MIN_VALUE;

    /** The operators folded here when they compute on shapes and constants only. */
    static final Set<String> OPERATORS = Set.of("Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast");

    private ShapeFolding() {
    }

    /**
     * Folds {@code node} into {@code constants} if it computes on integers only: Shape of a
     * computed tensor (whose example shape and rank {@code shapeOf} gives, or null for a tensor
     * the mapping has not computed), or one of the other {@link #OPERATORS} on constants.
     *
     * @return whether the node was folded; if not, the mapping maps it
     */
    static boolean fold(Node node, long opset, Map<String, TensorProto> constants, Function<String, long[]> shapeOf) {
        if (!OPERATORS.contains(node.op())) {
            return false;
        }
        String output = node.outputs().get(0);
        if (node.op().equals("Shape")) {
            long[] dims = shapeOf.apply(node.inputs().get(0));
            if (dims == null) {
                return false;
            }
            int rank = dims.length;
            int start = (int) normalise(node.integer("start", 0), rank);
            int end = (int) normalise(node.integer("end", rank), rank);
            long[] slice = Arrays.copyOfRange(dims, Math.max(0, start), Math.max(Math.max(0, start), Math.min(rank, end)));
            constants.put(output, Tensors.ofLongs(output, new long[] {slice.length}, slice));
            return true;
        }
        List<String> inputs = node.inputs().stream().filter(name -> !name.isEmpty()).toList();
        if (inputs.stream().anyMatch(name -> !constants.containsKey(name) || !integral(constants.get(name)))) {
            return false;      // computes on float tensors: the mapping's to map or refuse
        }
        long[] first = Tensors.longs(constants.get(inputs.get(0)));
        int[] firstDims = Tensors.dims(constants.get(inputs.get(0)));
        switch (node.op()) {
            case "Cast" -> {
                long to = node.integer("to", 0);
                if (to != TensorProto.DataType.INT64.getNumber() && to != TensorProto.DataType.INT32.getNumber()) {
                    throw node.unsupported("casting a shape to type " + to + " (the import folds integer shapes only)");
                }
                constants.put(output, Tensors.ofLongs(output, asLongs(firstDims), first));
            }
            case "Gather" -> {
                if (firstDims.length != 1 || node.integer("axis", 0) != 0) {
                    throw node.unsupported("Gather on a rank-" + firstDims.length + " integer tensor (the import folds Gather on 1-D shapes)");
                }
                TensorProto indices = constants.get(inputs.get(1));
                long[] at = Tensors.longs(indices);
                long[] picked = new long[at.length];
                for (int i = 0; i < at.length; i++) {
                    int index = (int) normalise(at[i], first.length);
                    if (index < 0 || index >= first.length) {
                        throw node.malformed("index " + at[i] + " is outside a shape of " + first.length + " dimensions");
                    }
                    picked[i] = first[index];
                }
                constants.put(output, Tensors.ofLongs(output, asLongs(Tensors.dims(indices)), picked));
            }
            case "Unsqueeze", "Squeeze" -> {
                long[] axes = opset < 13 ? node.integers("axes", new long[0])
                        : inputs.size() > 1 ? Tensors.longs(constants.get(inputs.get(1))) : new long[0];
                int rank = firstDims.length + (node.op().equals("Unsqueeze") ? axes.length : -axes.length);
                if (rank > 1 || rank < 0) {
                    throw node.unsupported(node.op() + " to rank " + rank + " on a shape (the import folds shapes of rank 0 and 1)");
                }
                constants.put(output, Tensors.ofLongs(output, rank == 1 ? new long[] {first.length} : new long[0], first));
            }
            case "Concat" -> {
                List<Long> joined = new ArrayList<>();
                for (String name : inputs) {
                    for (long value : Tensors.longs(constants.get(name))) {
                        joined.add(value);
                    }
                }
                long[] values = joined.stream().mapToLong(Long::longValue).toArray();
                constants.put(output, Tensors.ofLongs(output, new long[] {values.length}, values));
            }
            default -> throw new IllegalStateException(node.op() + " is listed but not folded");
        }
        return true;
    }

    /** The ONNX dimensions of a computed tensor of example shape {@code shape} and rank {@code rank}, the batch first. */
    static long[] dims(Shape shape, int rank) {
        return switch (rank) {
            case 2 -> new long[] {BATCH, shape.size()};
            case 3 -> new long[] {BATCH, shape.channels(), shape.width()};
            default -> new long[] {BATCH, shape.channels(), shape.height(), shape.width()};
        };
    }

    private static boolean integral(TensorProto tensor) {
        int type = tensor.getDataType();
        return type == TensorProto.DataType.INT64.getNumber() || type == TensorProto.DataType.INT32.getNumber();
    }

    private static long normalise(long index, int rank) {
        return index < 0 ? index + rank : index;
    }

    private static long[] asLongs(int[] dims) {
        return Arrays.stream(dims).asLongStream().toArray();
    }
}
