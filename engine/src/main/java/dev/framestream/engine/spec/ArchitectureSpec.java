package dev.framestream.engine.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.framestream.engine.tensor.Shape;

/**
 * A network's architecture as text: an input shape, then layers separated by {@code |}.
 *
 * <pre>
 * in 1x28x28 | conv 8 5x5 | relu | maxpool 2 | conv 16 5x5 | relu | maxpool 2 | flatten | fc 128 | relu | fc 10 | softmax
 * </pre>
 *
 * <ul>
 *   <li>{@code in CxHxW} first, once: channels x height x width of one example ({@code in N}
 *       for a flat vector).</li>
 *   <li>{@code conv F K} or {@code conv F KHxKW}, then optionally {@code stride S} and
 *       {@code pad P} ({@code pad same} keeps the size for odd kernels at stride 1).</li>
 *   <li>{@code batchnorm}, optionally {@code eps E} (default 1e-5) and {@code momentum M}
 *       (default 0.1): batch statistics in training, running averages at inference, where it
 *       folds into the convolution before it.</li>
 *   <li>{@code maxpool K} / {@code avgpool K}, optionally {@code stride S} (default K),
 *       {@code pad P} (at most K/2; padding never counts in a window's max or mean) and
 *       {@code ceil} (keep a last window the edge cuts short); {@code globalavgpool} averages
 *       each channel's whole plane.</li>
 *   <li>Activations: {@code relu}, {@code relu6}, {@code clip MIN MAX}, {@code leakyrelu A}
 *       (slope A in [0, 1) for negative inputs), {@code sigmoid}, {@code softmax}.</li>
 *   <li>{@code fc N} (or {@code dense N}), {@code flatten}, {@code dropout P}.</li>
 * </ul>
 *
 * <p>A layer reads the output of the layer before it. Networks with branches name outputs and
 * join them:
 * <ul>
 *   <li>{@code ... as NAME} at the end of a layer names its output;</li>
 *   <li>{@code from NAME ...} at the start of a layer makes it read that output instead
 *       ({@code from in} reads the network's input);</li>
 *   <li>{@code add NAME...} sums outputs of one shape, {@code concat NAME...} stacks outputs
 *       along the channels; with one name, the previous layer's output comes first.</li>
 * </ul>
 * A ResNet basic block and a SqueezeNet fire module:
 * <pre>
 * ... | relu as x | conv 64 3x3 pad 1 | relu | conv 64 3x3 pad 1 | add x | relu | ...
 * ... | conv 16 1x1 | relu as s | conv 64 1x1 | relu as e1 | from s conv 64 3x3 pad 1 | relu as e3 | concat e1 e3 | ...
 * </pre>
 * Every output but the last must be read by some layer. Keywords are case-insensitive, names
 * are not. {@link #toString()} is the canonical form, the one that travels with the weights;
 * parsing it gives the same spec.
 *
 * @param nodes the layers in the order they run, each reading earlier values: value 0 is the
 *              network's input, value {@code i + 1} the output of node {@code i}
 */
public record ArchitectureSpec(Shape input, List<Node> nodes) {

    /** The name that reads the network's input in {@code from} and joins. */
    public static final String INPUT = "in";

    /**
     * One layer and its wiring.
     *
     * @param inputs the values it reads (see {@link ArchitectureSpec#nodes()}); one, except for a join
     * @param name   its output's name, or null when no layer refers to it by name
     */
    public record Node(LayerSpec layer, List<Integer> inputs, String name) {
        public Node {
            inputs = List.copyOf(inputs);
        }
    }

    public ArchitectureSpec {
        nodes = List.copyOf(nodes);
        Set<String> names = new HashSet<>();
        boolean[] read = new boolean[nodes.size() + 1];
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            int wanted = node.layer().joins() ? 2 : 1;
            if (node.layer().joins() ? node.inputs().size() < 2 : node.inputs().size() != 1) {
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + node.layer() + ") reads " + node.inputs().size()
                        + " values; it needs " + (wanted == 1 ? "one" : "at least two"));
            }
            for (int value : node.inputs()) {
                if (value < 0 || value > i) {
                    throw new IllegalArgumentException("layer " + (i + 1) + " (" + node.layer() + ") reads value " + value
                            + ", which is not an earlier one");
                }
                read[value] = true;
            }
            if (node.name() != null && (!validName(node.name()) || !names.add(node.name()))) {
                throw new IllegalArgumentException("layer " + (i + 1) + " has the name \"" + node.name() + "\", which is "
                        + (validName(node.name()) ? "taken" : "not a name (letters, digits and _, starting with a letter)"));
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (int value : referenced(nodes, i)) {
                if (value > 0 && nodes.get(value - 1).name() == null) {
                    throw new IllegalArgumentException("layer " + (i + 1) + " reads layer " + value + "'s output, which has no name");
                }
            }
            if (i + 1 < nodes.size() && !read[i + 1]) {
                throw new IllegalArgumentException("the output of layer " + (i + 1) + " (" + nodes.get(i).layer() + ") is never read");
            }
        }
    }

    /** A chain: each layer reads the one before. */
    public static ArchitectureSpec chain(Shape input, List<LayerSpec> layers) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            nodes.add(new Node(layers.get(i), List.of(i), null));
        }
        return new ArchitectureSpec(input, nodes);
    }

    /**
     * {@link #of(String)} for data of {@code classes} classes: a named net ({@link ReferenceNets#NAMED})
     * whose text does not give {@code classes N} gets that many outputs.
     */
    public static ArchitectureSpec of(String nameOrSpec, int classes) {
        return ReferenceNets.byName(nameOrSpec, classes).orElseGet(() -> parse(nameOrSpec));
    }

    /** Parses spec text; a mistake raises {@link SpecParseException} pointing at the bad token. */
    public static ArchitectureSpec parse(String text) {
        return new SpecParser(text).parse();
    }

    /** A reference network's spec by name ({@code DIGITS}, {@code CAMERA}, any case), else parses the text. */
    public static ArchitectureSpec of(String nameOrSpec) {
        return ReferenceNets.byName(nameOrSpec).orElseGet(() -> parse(nameOrSpec));
    }

    /** The layers in the order they run. */
    public List<LayerSpec> layers() {
        return nodes.stream().map(Node::layer).toList();
    }

    /** Whether every layer reads the one before it: no branches, no joins. */
    public boolean isChain() {
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).inputs().equals(List.of(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("in ").append(input);
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            text.append(" | ");
            if (node.layer().joins()) {
                text.append(node.layer());
                for (int value : referenced(nodes, i)) {
                    text.append(' ').append(valueName(value));
                }
            } else {
                if (node.inputs().get(0) != i) {
                    text.append("from ").append(valueName(node.inputs().get(0))).append(' ');
                }
                text.append(node.layer());
            }
            if (node.name() != null) {
                text.append(" as ").append(node.name());
            }
        }
        return text.toString();
    }

    private String valueName(int value) {
        return value == 0 ? INPUT : nodes.get(value - 1).name();
    }

    /**
     * The values node {@code i} names in the text: its inputs, but for the previous layer's output
     * where it is implied (a plain layer reading it, or a two-way join reading it first).
     */
    private static List<Integer> referenced(List<Node> nodes, int i) {
        List<Integer> inputs = nodes.get(i).inputs();
        if (nodes.get(i).layer().joins()) {
            return inputs.size() == 2 && inputs.get(0) == i ? inputs.subList(1, 2) : inputs;
        }
        return inputs.get(0) == i ? List.of() : inputs;
    }

    static boolean validName(String name) {
        return name.matches("[A-Za-z][A-Za-z0-9_]*") && !name.equalsIgnoreCase(INPUT) && !name.equalsIgnoreCase("as")
                && !name.equalsIgnoreCase("from");
    }
}
