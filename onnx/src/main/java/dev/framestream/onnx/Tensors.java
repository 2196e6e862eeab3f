package dev.framestream.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.google.protobuf.ByteString;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

/** ONNX tensors to and from Java arrays: float and integer data, typed fields or raw little-endian bytes. */
public final class Tensors {

    private Tensors() {
    }

    /** A float tensor's values, in row-major order. */
    public static float[] floats(TensorProto tensor) {
        int count = elementCount(tensor);
        DataType type = DataType.forNumber(tensor.getDataType());
        if (type == DataType.FLOAT) {
            if (tensor.hasRawData()) {
                float[] values = new float[count];
                raw(tensor, count, Float.BYTES).asFloatBuffer().get(values);
                return values;
            }
            requireCount(tensor, count, tensor.getFloatDataCount());
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = tensor.getFloatData(i);
            }
            return values;
        }
        if (type == DataType.DOUBLE) {
            float[] values = new float[count];
            if (tensor.hasRawData()) {
                var doubles = raw(tensor, count, Double.BYTES).asDoubleBuffer();
                for (int i = 0; i < count; i++) {
                    values[i] = (float) doubles.get(i);
                }
                return values;
            }
            requireCount(tensor, count, tensor.getDoubleDataCount());
            for (int i = 0; i < count; i++) {
                values[i] = (float) tensor.getDoubleData(i);
            }
            return values;
        }
        throw OnnxException.unsupported("tensor \"" + tensor.getName() + "\" holds " + typeName(tensor)
                + "; the engine computes in float32 (FLOAT tensors, or DOUBLE ones it can narrow)");
    }

    /** An integer tensor's values (INT64 or INT32), e.g. a Reshape target shape. */
    public static long[] longs(TensorProto tensor) {
        int count = elementCount(tensor);
        DataType type = DataType.forNumber(tensor.getDataType());
        long[] values = new long[count];
        if (type == DataType.INT64) {
            if (tensor.hasRawData()) {
                raw(tensor, count, Long.BYTES).asLongBuffer().get(values);
                return values;
            }
            requireCount(tensor, count, tensor.getInt64DataCount());
            for (int i = 0; i < count; i++) {
                values[i] = tensor.getInt64Data(i);
            }
            return values;
        }
        if (type == DataType.INT32) {
            if (tensor.hasRawData()) {
                var ints = raw(tensor, count, Integer.BYTES).asIntBuffer();
                for (int i = 0; i < count; i++) {
                    values[i] = ints.get(i);
                }
                return values;
            }
            requireCount(tensor, count, tensor.getInt32DataCount());
            for (int i = 0; i < count; i++) {
                values[i] = tensor.getInt32Data(i);
            }
            return values;
        }
        throw OnnxException.unsupported("tensor \"" + tensor.getName() + "\" holds " + typeName(tensor) + " where integers (INT64) are expected");
    }

    /** A BOOL (or integer) scalar's truth, e.g. Dropout's training_mode. */
    public static boolean flag(TensorProto tensor) {
        if (tensor.getDataType() == DataType.BOOL.getNumber()) {
            int count = elementCount(tensor);
            if (tensor.hasRawData()) {
                return count > 0 && raw(tensor, count, 1).get(0) != 0;
            }
            requireCount(tensor, count, tensor.getInt32DataCount());
            return count > 0 && tensor.getInt32Data(0) != 0;
        }
        long[] values = longs(tensor);
        return values.length > 0 && values[0] != 0;
    }

    /** A float tensor with the given dimensions, its values stored as raw little-endian bytes. */
    public static TensorProto of(String name, long[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    /** An INT64 tensor with the given dimensions. */
    public static TensorProto ofLongs(String name, long[] dims, long[] values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(DataType.INT64.getNumber());
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        for (long value : values) {
            tensor.addInt64Data(value);
        }
        return tensor.build();
    }

    /** Number of values the dimensions describe (1 for a scalar). */
    public static int elementCount(TensorProto tensor) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw OnnxException.unsupported("tensor \"" + tensor.getName()
                    + "\" keeps its data in an external file; save the model with its weights inside"
                    + " (onnx.save(model, path, save_as_external_data=False))");
        }
        long count = 1;
        for (long dim : tensor.getDimsList()) {
            if (dim < 0) {
                throw OnnxException.malformed("tensor \"" + tensor.getName() + "\" has a negative dimension " + dim);
            }
            count *= dim;
            if (count > Integer.MAX_VALUE) {
                throw OnnxException.unsupported("tensor \"" + tensor.getName() + "\" has more than 2^31 values");
            }
        }
        return (int) count;
    }

    /** The dimensions as ints. */
    public static int[] dims(TensorProto tensor) {
        return tensor.getDimsList().stream().mapToInt(Long::intValue).toArray();
    }

    private static String typeName(TensorProto tensor) {
        DataType type = DataType.forNumber(tensor.getDataType());
        return type == null ? "data type " + tensor.getDataType() : type.name();
    }

    private static ByteBuffer raw(TensorProto tensor, int count, int width) {
        int expected = count * width;
        if (tensor.getRawData().size() != expected) {
            throw OnnxException.malformed("tensor \"" + tensor.getName() + "\" has " + tensor.getRawData().size()
                    + " bytes of data, but its dimensions " + tensor.getDimsList() + " need " + expected);
        }
        return tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void requireCount(TensorProto tensor, int count, int present) {
        if (present != count) {
            throw OnnxException.malformed("tensor \"" + tensor.getName() + "\" has " + present
                    + " values, but its dimensions " + tensor.getDimsList() + " need " + count);
        }
    }
}
