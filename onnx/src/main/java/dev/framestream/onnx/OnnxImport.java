package dev.framestream.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Shape;

/**
 * Reads an ONNX model into an engine {@link Network}.
 *
 * <p>The graph runs from its single data input to its single output. Each node reads one computed
 * tensor, or joins several with {@code Add} (a residual sum) or {@code Concat} (channels); every
 * other input is a constant (an initializer or a {@code Constant} node). {@link OperatorMapping} turns each node into engine
 * layers. A model with operators the engine lacks is refused with all of them listed at once; an
 * attribute the engine cannot honour (dilations, groups, asymmetric padding, ...) is refused with
 * its name and value.
 */
public final class OnnxImport {

    /** The newest default-domain operator set whose semantics the mapping follows (it knows the older ones). */
    static final long MAX_OPSET = 22;

    private OnnxImport() {
    }

    /** Reads an {@code .onnx} file. */
    public static OnnxModel read(Path file, Kernels kernels) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw OnnxException.malformed(file + " does not exist");
        } catch (IOException e) {
            throw OnnxException.malformed("cannot read " + file + ": " + e.getMessage());
        }
        return convert(parse(bytes, file.toString()), Map.of(), kernels);
    }

    /** Parses ONNX model bytes; {@code source} names them in messages. */
    public static ModelProto parse(byte[] bytes, String source) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(OnnxException.Kind.MALFORMED, source + " is not an ONNX model (protobuf ModelProto): "
                    + e.getMessage() + "; check that the file is complete and is an .onnx model, not a checkpoint or archive", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw OnnxException.malformed(source + " is not an ONNX model: it has no graph with nodes"
                    + (bytes.length == 0 ? " (the file is empty)" : ""));
        }
        return model;
    }

    /**
     * Converts a parsed model. {@code inputValues} supplies graph inputs that are not the data
     * input, as constants: ONNX's backend tests pass a node's weights that way.
     */
    public static OnnxModel convert(ModelProto model, Map<String, TensorProto> inputValues, Kernels kernels) {
        long opset = opset(model);
        GraphProto graph = model.getGraph();
        refuseUnknownOperators(graph);
        Map<String, TensorProto> constants = new HashMap<>(inputValues);
        graph.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        ValueInfoProto input = dataInput(graph, constants);
        OperatorMapping mapping = new OperatorMapping(opset, constants, input.getName(), inputShape(input), rank(input));
        Map<String, Integer> readers = readers(graph);
        for (NodeProto proto : graph.getNodeList()) {
            Node node = new Node(proto);
            if (node.op().equals("Constant")) {
                constants.put(proto.getOutput(0), constantValue(node));
                continue;
            }
            if (ShapeFolding.fold(node, opset, constants, mapping::dimsOf)) {
                continue;
            }
            mapping.accept(node, readers);
        }
        if (graph.getOutputCount() != 1) {
            throw OnnxException.unsupported("the graph has " + graph.getOutputCount()
                    + " outputs; the engine runs networks with one output");
        }
        String output = graph.getOutput(0).getName();
        int last = mapping.steps().size();
        if (mapping.valueOf(output) != last) {
            throw OnnxException.unsupported("the graph's output \"" + output + "\" is "
                    + (mapping.valueOf(output) < 0 ? "not computed from \"" + input.getName() + "\"" : "not what its last layer writes")
                    + "; the engine's network ends at its last layer");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(entry -> metadata.put(entry.getKey(), entry.getValue()));
        return new OnnxModel(build(mapping, kernels), input.getName(), output, opset, metadata);
    }

    private static Network build(OperatorMapping mapping, Kernels kernels) {
        List<OperatorMapping.Step> steps = mapping.steps();
        ArchitectureSpec spec = new ArchitectureSpec(mapping.inputShape(), nodes(steps));
        Network network;
        try {
            network = Network.build(spec, kernels);
        } catch (IllegalArgumentException e) {
            throw OnnxException.unsupported("the graph maps to \"" + spec + "\", which the engine cannot build: " + e.getMessage());
        }
        List<Layer> layers = network.layers();
        for (int i = 0; i < steps.size(); i++) {
            OperatorMapping.Step step = steps.get(i);
            Layer layer = layers.get(i);
            List<Parameter> tensors = java.util.stream.Stream.concat(layer.parameters().stream(), layer.state().stream()).toList();
            for (int t = 0; t < step.tensors().size(); t++) {
                network.setWeights(tensors.get(t).name(), step.tensors().get(t));
            }
        }
        return network;
    }

    /**
     * The steps as spec nodes. A value read other than by the next layer alone gets a name
     * ({@code t} and its number), so the spec's text can say where it goes.
     */
    private static List<ArchitectureSpec.Node> nodes(List<OperatorMapping.Step> steps) {
        boolean[] named = new boolean[steps.size() + 1];
        for (int i = 0; i < steps.size(); i++) {
            List<Integer> inputs = steps.get(i).inputs();
            for (int value : inputs) {
                named[value] |= inputs.size() > 1 || value != i;
            }
        }
        List<ArchitectureSpec.Node> nodes = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            nodes.add(new ArchitectureSpec.Node(steps.get(i).spec(), steps.get(i).inputs(), named[i + 1] ? "t" + (i + 1) : null));
        }
        return nodes;
    }

    private static long opset(ModelProto model) {
        long opset = -1;
        for (OperatorSetIdProto set : model.getOpsetImportList()) {
            if (set.getDomain().isEmpty() || set.getDomain().equals("ai.onnx")) {
                opset = set.getVersion();
            }
        }
        if (opset < 0) {
            throw OnnxException.malformed("the model imports no default-domain operator set (opset_import); it cannot say what its operators mean");
        }
        if (opset < 1 || opset > MAX_OPSET) {
            throw OnnxException.unsupported("the model uses operator set " + opset + "; the engine reads opsets 1 to "
                    + MAX_OPSET + " (convert it with onnx.version_converter)");
        }
        return opset;
    }

    /** Lists every operator the mapping lacks, with its nodes, before mapping any of them. */
    private static void refuseUnknownOperators(GraphProto graph) {
        Map<String, List<String>> unknown = new TreeMap<>();
        for (NodeProto proto : graph.getNodeList()) {
            boolean defaultDomain = proto.getDomain().isEmpty() || proto.getDomain().equals("ai.onnx");
            if (!defaultDomain || !OperatorMapping.OPERATORS.contains(proto.getOpType()) && !proto.getOpType().equals("Constant")) {
                String op = defaultDomain ? proto.getOpType() : proto.getDomain() + "." + proto.getOpType();
                unknown.computeIfAbsent(op, k -> new ArrayList<>()).add(new Node(proto).label());
            }
        }
        if (!unknown.isEmpty()) {
            String list = unknown.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue().size() + " node" + (e.getValue().size() == 1 ? "" : "s") + ")")
                    .collect(Collectors.joining(", "));
            throw OnnxException.unsupported("the model uses operators the engine does not have: " + list
                    + ". Supported: Constant, " + String.join(", ", OperatorMapping.OPERATORS));
        }
    }

    private static ValueInfoProto dataInput(GraphProto graph, Map<String, TensorProto> constants) {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(i -> !constants.containsKey(i.getName())).toList();
        if (inputs.size() != 1) {
            throw OnnxException.unsupported("the graph has " + inputs.size() + " data inputs "
                    + inputs.stream().map(ValueInfoProto::getName).toList()
                    + "; the engine runs networks with one input, every other input a weight (initializer)");
        }
        return inputs.get(0);
    }

    /** The example shape of an input {@code [N, C, H, W]} or {@code [N, D]}; N may be symbolic. */
    private static Shape inputShape(ValueInfoProto input) {
        if (!input.getType().hasTensorType()) {
            throw OnnxException.unsupported("input \"" + input.getName() + "\" is not a tensor (a sequence, map or optional)");
        }
        if (!input.getType().getTensorType().hasShape()) {
            throw OnnxException.unsupported("input \"" + input.getName() + "\" declares no shape; the engine needs the size of every"
                    + " dimension but the batch (set it with onnx.tools.update_model_dims)");
        }
        List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
        int[] sizes = new int[dims.size()];
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() <= 0) {
                throw OnnxException.unsupported("input \"" + input.getName() + "\" dimension " + i + " is "
                        + (dims.get(i).hasDimParam() ? "symbolic (" + dims.get(i).getDimParam() + ")" : "unknown")
                        + "; only the batch dimension (0) may vary");
            }
            sizes[i] = Math.toIntExact(dims.get(i).getDimValue());
        }
        return switch (dims.size()) {
            case 2 -> Shape.flat(sizes[1]);
            case 3 -> new Shape(sizes[1], 1, sizes[2]);     // [N, C, L]: element-wise layers and flatten only
            case 4 -> new Shape(sizes[1], sizes[2], sizes[3]);
            default -> throw OnnxException.unsupported("input \"" + input.getName() + "\" has rank " + dims.size()
                    + "; the engine takes [N, C, H, W] images or [N, D] vectors");
        };
    }

    private static int rank(ValueInfoProto input) {
        return input.getType().getTensorType().getShape().getDimCount();
    }

    private static TensorProto constantValue(Node node) {
        return node.attribute("value").filter(a -> a.hasT())
                .map(a -> a.getT().toBuilder().setName(node.outputs().get(0)).build())
                .orElseThrow(() -> node.unsupported("a Constant without a tensor \"value\""));
    }

    /** How many node inputs (and graph outputs) read each tensor. */
    private static Map<String, Integer> readers(GraphProto graph) {
        Map<String, Integer> counts = new HashMap<>();
        graph.getOutputList().forEach(output -> counts.merge(output.getName(), 1, Integer::sum));
        graph.getNodeList().forEach(node -> node.getInputList().forEach(input -> counts.merge(input, 1, Integer::sum)));
        return counts;
    }
}
