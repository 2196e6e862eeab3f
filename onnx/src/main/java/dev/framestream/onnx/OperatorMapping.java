package dev.framestream.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.framestream.engine.layers.Pool2D;
import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * Turns the nodes of an ONNX graph, in its order, into engine layers, following each tensor's
 * shape as it goes: a node reads one computed tensor, or joins several with Add or Concat. A bias
 * addition right after a Conv, Gemm or MatMul is folded into that layer's bias; a batch
 * normalisation stays a layer (the engine folds it to serve); Identity and inference-mode Dropout
 * cost nothing.
 */
final class OperatorMapping {

    /** The operators of the default domain this mapping knows, besides Constant. */
    static final List<String> OPERATORS = List.of("Conv", "Relu", "Clip", "LeakyRelu", "Sigmoid", "MaxPool", "AveragePool",
            "GlobalMaxPool", "GlobalAveragePool", "Flatten", "Reshape", "Gemm", "MatMul", "Add", "BatchNormalization", "Softmax",
            "Dropout", "Identity", "Concat", "Shape", "Gather", "Unsqueeze", "Squeeze", "Cast");

    /**
     * One engine layer reading {@code inputs} (values: 0 is the graph's input, {@code i + 1} step
     * {@code i}'s output) and its tensors in the engine's layout and order (parameters, then
     * state): for conv and fc the weight and bias, for batchnorm gamma, beta, mean and variance.
     */
    record Step(LayerSpec spec, List<Integer> inputs, List<float[]> tensors) {
        Step(LayerSpec spec, List<Integer> inputs) {
            this(spec, inputs, List.of());
        }

        /** Whether a bias can fold into its weights. */
        boolean takesFolds() {
            return spec instanceof LayerSpec.Conv || spec instanceof LayerSpec.Dense;
        }

        float[] weight() {
            return tensors.get(0);
        }

        float[] bias() {
            return tensors.get(1);
        }
    }

    /** An ONNX tensor the mapping has computed: the engine value holding it, its example shape and ONNX rank. */
    private record Value(int index, Shape shape, int rank) {
    }

    private final long opset;
    private final Map<String, TensorProto> constants;
    private final Shape inputShape;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Value> values = new HashMap<>();
    private Value data;
    private Shape shape;
    private int rank;

    /** {@code rank} is the input's ONNX rank, batch included: 2, 3 ([N, C, L], held as C x 1 x L) or 4. */
    OperatorMapping(long opset, Map<String, TensorProto> constants, String input, Shape inputShape, int rank) {
        this.opset = opset;
        this.constants = constants;
        this.inputShape = inputShape;
        values.put(input, new Value(0, inputShape, rank));
    }

    Shape inputShape() {
        return inputShape;
    }

    List<Step> steps() {
        return steps;
    }

    /** The ONNX dimensions of computed tensor {@code name}, the batch as {@link ShapeFolding#BATCH}; null when not computed. */
    long[] dimsOf(String name) {
        Value value = values.get(name);
        return value == null ? null : ShapeFolding.dims(value.shape(), value.rank());
    }

    /** The engine value that holds tensor {@code name}, or -1 when the mapping has not computed it. */
    int valueOf(String name) {
        Value value = values.get(name);
        return value == null ? -1 : value.index();
    }

    /**
     * Maps one node, in the graph's order (ONNX graphs are sorted: a node's inputs come first).
     * {@code readers} counts the node inputs (and graph outputs) reading each tensor: a bias folds
     * into the layer before it only when nothing else reads that layer's output.
     */
    void accept(Node node, Map<String, Integer> readers) {
        List<String> computed = node.inputs().stream().filter(name -> !name.isEmpty() && !constants.containsKey(name)).toList();
        for (String name : computed) {
            if (!values.containsKey(name)) {
                throw OnnxException.malformed(node.label() + " reads \"" + name
                        + "\", which no earlier node writes and which is no initializer (is the graph sorted?)");
            }
        }
        List<String> outputs = node.outputs();
        for (int i = 1; i < outputs.size(); i++) {
            if (!outputs.get(i).isEmpty() && readers.getOrDefault(outputs.get(i), 0) > 0) {
                throw node.unsupported("using output " + i + " (\"" + outputs.get(i) + "\")");
            }
        }
        boolean joins = computed.size() > 1 && (node.op().equals("Add") || node.op().equals("Concat"));
        if (!joins && computed.size() != 1) {
            throw OnnxException.unsupported(node.label() + " reads " + computed.size() + " computed tensors " + computed
                    + "; the engine takes weights and attributes as initializers only, and joins tensors with Add and Concat");
        }
        if (joins) {
            values.put(outputs.get(0), join(node, computed.stream().map(values::get).toList()));
            return;
        }
        data = values.get(computed.get(0));
        shape = data.shape();
        rank = data.rank();
        int before = steps.size();
        String addend = node.op().equals("Add") ? node.inputs().stream().filter(name -> !name.equals(computed.get(0))).findFirst()
                .orElseThrow(() -> node.malformed("Add of one input")) : null;
        boolean alone = readers.getOrDefault(computed.get(0), 0) <= 1;
        if (node.op().equals("Add") && !alone) {
            throw node.unsupported("folding into a layer whose output \"" + computed.get(0) + "\" other nodes read too");
        }
        map(node, addend);
        if (steps.size() == before) {
            values.put(outputs.get(0), new Value(data.index(), shape, rank));   // folded, or nothing to run
        } else {
            Step step = steps.get(before);
            steps.set(before, new Step(step.spec(), List.of(data.index()), step.tensors()));
            values.put(outputs.get(0), new Value(steps.size(), shape, rank));
        }
    }

    private Value join(Node node, List<Value> inputs) {
        Value first = inputs.get(0);
        if (node.op().equals("Add")) {
            if (inputs.stream().anyMatch(v -> !v.shape().equals(first.shape()) || v.rank() != first.rank())) {
                throw node.unsupported("adding tensors of different shapes " + inputs.stream().map(Value::shape).toList()
                        + " (broadcasting between computed tensors)");
            }
            steps.add(new Step(new LayerSpec.Add(), inputs.stream().map(Value::index).toList()));
            return new Value(steps.size(), first.shape(), first.rank());
        }
        long axis = node.integer("axis", 1);
        if (first.rank() != 4 || (axis != 1 && axis != -3)) {
            throw node.unsupported("axis=" + axis + " on rank-" + first.rank() + " tensors (the engine concatenates images along"
                    + " the channels: axis 1 of [N, C, H, W])");
        }
        if (inputs.stream().anyMatch(v -> v.rank() != 4 || v.shape().height() != first.shape().height()
                || v.shape().width() != first.shape().width())) {
            throw node.malformed("concatenating channels of " + inputs.stream().map(Value::shape).toList() + ", whose planes differ");
        }
        steps.add(new Step(new LayerSpec.Concat(), inputs.stream().map(Value::index).toList()));
        int channels = inputs.stream().mapToInt(v -> v.shape().channels()).sum();
        return new Value(steps.size(), new Shape(channels, first.shape().height(), first.shape().width()), 4);
    }

    private void map(Node node, String addend) {
        switch (node.op()) {
            case "Identity" -> { }
            case "Relu" -> add(new LayerSpec.Relu());
            case "Clip" -> Activations.clip(node, opset, this::constant).ifPresent(this::add);
            case "LeakyRelu" -> add(Activations.leakyRelu(node));
            case "Sigmoid" -> add(new LayerSpec.Sigmoid());
            case "Dropout" -> dropout(node);
            case "Flatten" -> flatten(node);
            case "Reshape" -> reshape(node);
            case "Softmax" -> add(Activations.softmax(node, opset, rank, exampleDims(), shape.size()));
            case "Conv" -> conv(node);
            case "MaxPool", "AveragePool" -> pool(node, node.op().equals("MaxPool"));
            case "GlobalMaxPool" -> globalMaxPool(node);
            case "GlobalAveragePool" -> {
                requireImage(node);
                add(new LayerSpec.GlobalAveragePool());
                shape = new Shape(shape.channels(), 1, 1);
            }
            case "Gemm" -> gemm(node);
            case "MatMul" -> matMul(node);
            case "Add" -> add(node, constant(node, addend));
            case "Concat" -> throw node.unsupported("concatenating a constant (Concat joins tensors computed from the input)");
            // Kept as a layer, so the network trains as it was built; inference folds it into a convolution before it.
            case "BatchNormalization" -> steps.add(Folding.batchNormLayer(node, shape, this::constant));
            case "Shape", "Gather", "Unsqueeze", "Squeeze", "Cast" -> throw node.unsupported(node.op()
                    + " on a computed tensor (the import works these out where they compute shapes, as around a flatten)");
            default -> throw new IllegalStateException("operator " + node.op() + " passed the check but has no mapping");
        }
    }

    private void add(LayerSpec spec) {
        steps.add(new Step(spec, List.of()));
    }

    private void add(Node node, TensorProto addend) {
        float[] bias = last(node, "an Add that is not the bias of the Conv, Gemm or MatMul before it").bias();
        // Before opset 7, Add broadcast only when told to, aligning B at `axis`: axis 1 is per channel.
        boolean legacyPerChannel = opset < 7 && node.integer("broadcast", 0) == 1 && node.integer("axis", -1) == 1;
        Folding.broadcastInto(node, bias, addend, 1f, legacyPerChannel ? Tensors.dims(addend).length : rank == 2 ? 1 : 3);
    }

    private void dropout(Node node) {
        if (opset < 7 && node.integer("is_test", 0) == 0) {
            throw node.unsupported("is_test=0 (dropout in training mode)");
        }
        float ratio = opset < 12 ? node.real("ratio", 0.5f)
                : node.input(1).map(name -> Tensors.floats(constant(node, name))[0]).orElse(0.5f);
        boolean training = node.input(2).map(name -> Tensors.flag(constant(node, name))).orElse(false);
        if (training) {
            throw node.unsupported("training_mode=true (random dropout at inference)");
        }
        if (ratio < 0 || ratio >= 1) {
            throw node.malformed("ratio " + ratio + " is outside [0, 1)");
        }
        add(new LayerSpec.Dropout(Double.parseDouble(Float.toString(ratio))));   // the float's shortest decimal: 0.2, not 0.20000000298
    }

    private void flatten(Node node) {
        long axis = node.integer("axis", 1);
        if (axis != 1 && axis != 1 - rank) {
            throw node.unsupported("axis=" + axis + " (the engine flattens each example: axis 1)");
        }
        flattenStep();
    }

    private void reshape(Node node) {
        long[] target = opset < 5 ? node.integers("shape", new long[0])
                : Tensors.longs(constant(node, node.input(1).orElseThrow(() -> node.malformed("no shape input"))));
        boolean allowZero = node.integer("allowzero", 0) != 0;
        boolean batchKept = target.length >= 1 && (target[0] == -1 || target[0] == ShapeFolding.BATCH || target[0] == 0 && !allowZero);
        if (batchKept && target.length == 2 && (target[1] == -1 || target[1] == shape.size())) {
            flattenStep();
            return;
        }
        long[] now = exampleDims();
        if (batchKept && Arrays.equals(Arrays.copyOfRange(target, 1, target.length), now)) {
            return;
        }
        String shown = Arrays.stream(target).mapToObj(v -> v == ShapeFolding.BATCH ? "N" : Long.toString(v))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        throw node.unsupported("reshaping to " + shown + " (only [N, -1] or [N, C·H·W], a flatten, keeping the batch)");
    }

    /** The example's ONNX dimensions, batch excluded. */
    private long[] exampleDims() {
        return switch (rank) {
            case 2 -> new long[] {shape.size()};
            case 3 -> new long[] {shape.channels(), shape.width()};
            default -> new long[] {shape.channels(), shape.height(), shape.width()};
        };
    }

    private void flattenStep() {
        add(new LayerSpec.Flatten());
        shape = Shape.flat(shape.size());
        rank = 2;
    }

    private void conv(Node node) {
        requireImage(node);
        TensorProto w = constant(node, node.input(1).orElseThrow(() -> node.malformed("no weight input W")));
        int[] dims = Tensors.dims(w);
        if (dims.length != 4) {
            throw node.unsupported("a weight of rank " + dims.length + " (the engine's convolutions are 2-D: W is [F, C, KH, KW])");
        }
        long group = node.integer("group", 1);
        if (group < 1 || shape.channels() % group != 0 || dims[0] % group != 0) {
            throw node.malformed("group=" + group + " does not divide its " + shape.channels() + " input channels and "
                    + dims[0] + " filters");
        }
        node.requireAll("dilations", 1, "dilated convolution");
        if (dims[1] != shape.channels() / group) {
            throw node.malformed("W has " + dims[1] + " input channels per filter but its input has " + shape.channels()
                    + " channels in " + group + " group(s)");
        }
        long[] kernel = node.integers("kernel_shape", new long[] {dims[2], dims[3]});
        if (kernel.length != 2 || kernel[0] != dims[2] || kernel[1] != dims[3]) {
            throw node.malformed("kernel_shape " + Arrays.toString(kernel) + " does not match W " + Arrays.toString(dims));
        }
        Window window = Window.of(node, dims[2], dims[3], shape);
        float[] bias = node.input(2).map(name -> Tensors.floats(constant(node, name))).orElse(new float[dims[0]]);
        if (bias.length != dims[0]) {
            throw node.malformed("bias B has " + bias.length + " values for " + dims[0] + " filters");
        }
        steps.add(new Step(new LayerSpec.Conv(dims[0], dims[2], dims[3], window.stride(), window.pad(), (int) group), List.of(),
                List.of(Tensors.floats(w), bias)));
        shape = new Shape(dims[0], window.outHeight(), window.outWidth());
    }

    private void pool(Node node, boolean max) {
        requireImage(node);
        LayerSpec.Pool pool = Pooling.pool(node, max, shape);
        add(pool);
        Pool2D.Window window = new Pool2D.Window(pool.size(), pool.stride(), pool.pad(), pool.ceil());
        shape = new Shape(shape.channels(), window.outputSide(shape.height()), window.outputSide(shape.width()));
    }

    private void globalMaxPool(Node node) {
        requireImage(node);
        if (shape.height() != shape.width()) {
            throw node.unsupported("a " + shape.height() + "x" + shape.width() + " input (global max pooling over square planes only)");
        }
        add(new LayerSpec.Pool(true, shape.height(), shape.height()));
        shape = new Shape(shape.channels(), 1, 1);
    }

    private void gemm(Node node) {
        requireVector(node);
        if (node.integer("transA", 0) != 0) {
            throw node.unsupported("transA=1 (the batch must run along the rows of A)");
        }
        TensorProto b = constant(node, node.input(1).orElseThrow(() -> node.malformed("no input B")));
        int[] dims = Tensors.dims(b);
        if (dims.length != 2) {
            throw node.malformed("B has rank " + dims.length + ", Gemm needs a matrix");
        }
        boolean transposed = node.integer("transB", 0) != 0;
        int outputs = transposed ? dims[0] : dims[1];
        int inputs = transposed ? dims[1] : dims[0];
        requireInputs(node, inputs);
        float[] weight = transposed ? Tensors.floats(b) : Folding.transpose(Tensors.floats(b), inputs, outputs);
        Folding.scale(weight, node.real("alpha", 1f));
        float[] bias = new float[outputs];
        if (node.input(2).isPresent()) {
            Folding.broadcastInto(node, bias, constant(node, node.input(2).get()), node.real("beta", 1f), 1);
        }
        denseStep(outputs, weight, bias);
    }

    private void matMul(Node node) {
        requireVector(node);
        TensorProto b = constant(node, node.input(1).get());
        int[] dims = Tensors.dims(b);
        if (dims.length != 2) {
            throw node.unsupported("a B of rank " + dims.length + " (batched MatMul)");
        }
        requireInputs(node, dims[0]);
        denseStep(dims[1], Folding.transpose(Tensors.floats(b), dims[0], dims[1]), new float[dims[1]]);
    }

    private void denseStep(int outputs, float[] weight, float[] bias) {
        steps.add(new Step(new LayerSpec.Dense(outputs), List.of(), List.of(weight, bias)));
        shape = Shape.flat(outputs);
        rank = 2;
    }

    private void requireInputs(Node node, int inputs) {
        if (inputs != shape.size()) {
            throw node.malformed("the weight takes " + inputs + " inputs but its input has " + shape.size());
        }
    }

    private void requireImage(Node node) {
        if (rank != 4) {
            throw node.unsupported("a rank-" + rank + " input (it needs [N, C, H, W])");
        }
    }

    private void requireVector(Node node) {
        if (rank != 2) {
            throw node.unsupported("a rank-" + rank + " input (it needs [N, D]; put a Flatten before it)");
        }
    }

    /** The layer that wrote the node's data input, if it has weights to fold into. */
    private Step last(Node node, String what) {
        Step last = data.index() == 0 ? null : steps.get(data.index() - 1);
        if (last == null || !last.takesFolds()) {
            throw node.unsupported(what);
        }
        return last;
    }

    private TensorProto constant(Node node, String name) {
        TensorProto tensor = constants.get(name);
        if (tensor == null) {
            throw node.malformed("input \"" + name + "\" is neither an initializer nor a Constant");
        }
        return tensor;
    }
}
