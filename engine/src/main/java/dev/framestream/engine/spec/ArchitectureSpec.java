package dev.framestream.engine.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *   <li>{@code maxpool K} / {@code avgpool K}, optionally {@code stride S} (default K).</li>
 *   <li>{@code fc N} (or {@code dense N}), {@code relu}, {@code flatten}, {@code dropout P},
 *       {@code softmax}.</li>
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

    /** Parses spec text; a mistake raises {@link SpecParseException} pointing at the bad token. */
    public static ArchitectureSpec parse(String text) {
        return new Parser(text).parse();
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

    private static boolean validName(String name) {
        return name.matches("[A-Za-z][A-Za-z0-9_]*") && !name.equalsIgnoreCase(INPUT) && !name.equalsIgnoreCase("as")
                && !name.equalsIgnoreCase("from");
    }

    /** Words of the text with their positions, segment by segment. */
    private static final class Parser {
        private final String text;
        private List<Integer> starts;
        private List<String> words;
        private int index;

        Parser(String text) {
            this.text = text;
        }

        ArchitectureSpec parse() {
            List<List<Integer>> segmentStarts = new ArrayList<>();
            List<List<String>> segmentWords = new ArrayList<>();
            int segmentStart = 0;
            for (int bar = 0; bar <= text.length(); bar++) {
                if (bar == text.length() || text.charAt(bar) == '|') {
                    List<Integer> s = new ArrayList<>();
                    List<String> w = new ArrayList<>();
                    for (int i = segmentStart; i < bar; ) {
                        if (Character.isWhitespace(text.charAt(i))) {
                            i++;
                            continue;
                        }
                        int end = i;
                        while (end < bar && !Character.isWhitespace(text.charAt(end))) {
                            end++;
                        }
                        s.add(i);
                        w.add(text.substring(i, end));
                        i = end;
                    }
                    if (w.isEmpty()) {
                        throw new SpecParseException("empty layer between '|'; remove the extra '|'", text,
                                Math.min(bar, Math.max(0, text.length() - 1)), 1);
                    }
                    segmentStarts.add(s);
                    segmentWords.add(w);
                    segmentStart = bar + 1;
                }
            }
            select(segmentStarts.get(0), segmentWords.get(0));
            Shape input = inputShape();
            Map<String, Integer> named = new HashMap<>();
            named.put(INPUT, 0);
            List<Node> nodes = new ArrayList<>();
            boolean[] read = new boolean[segmentWords.size()];
            for (int i = 1; i < segmentWords.size(); i++) {
                List<Integer> s = segmentStarts.get(i);
                List<String> w = segmentWords.get(i);
                int previous = i - 1;      // the value the layer before writes
                Integer from = null;
                if (w.get(0).equalsIgnoreCase("from")) {
                    select(s, w);
                    index = 1;
                    from = value(named, required("name of the output to read, e.g. from x"));
                    if (w.size() == 2) {
                        throw new SpecParseException("\"from " + w.get(1) + "\" needs a layer after it, e.g. from "
                                + w.get(1) + " conv 64 1x1", text, s.get(1) + w.get(1).length(), 1);
                    }
                    s = s.subList(2, s.size());
                    w = w.subList(2, w.size());
                }
                String name = null;
                select(s, w);
                if (w.get(w.size() - 1).equalsIgnoreCase("as")) {
                    throw error(w.size() - 1, "\"as\" needs a name for this layer's output, e.g. as x");
                }
                if (w.size() >= 3 && w.get(w.size() - 2).equalsIgnoreCase("as")) {
                    name = w.get(w.size() - 1);
                    if (!validName(name)) {
                        throw error(w.size() - 1, "\"" + name + "\" is not a name: letters, digits and _, starting with a letter,"
                                + " and not in, as or from");
                    }
                    if (named.containsKey(name)) {
                        throw error(w.size() - 1, "the name \"" + name + "\" is already taken by an earlier layer");
                    }
                    s = s.subList(0, s.size() - 2);
                    w = w.subList(0, w.size() - 2);
                    select(s, w);
                }
                LayerSpec layer = layer();
                List<Integer> inputs;
                if (layer.joins()) {
                    if (from != null) {
                        throw new SpecParseException("a join names what it reads; remove \"from\"", text, segmentStarts.get(i).get(0), 4);
                    }
                    inputs = new ArrayList<>();
                    if (joined.size() == 1) {
                        inputs.add(previous);
                    }
                    for (int at : joined) {
                        inputs.add(value(named, at));
                    }
                } else {
                    inputs = List.of(from != null ? from : previous);
                }
                inputs.forEach(v -> read[v] = true);
                nodes.add(new Node(layer, inputs, name));
                if (name != null) {
                    named.put(name, i);
                }
            }
            for (int i = 1; i + 1 < segmentWords.size(); i++) {
                if (!read[i]) {
                    List<String> w = segmentWords.get(i);
                    throw new SpecParseException("the output of \"" + String.join(" ", w) + "\" is never read: name it with \"as\""
                            + " and read it with from, add or concat, or remove the layer", text, segmentStarts.get(i).get(0),
                            w.get(0).length());
                }
            }
            return new ArchitectureSpec(input, nodes);
        }

        /** The value the word at {@code at} names. */
        private int value(Map<String, Integer> named, int at) {
            Integer value = named.get(word(at).equalsIgnoreCase(INPUT) ? INPUT : word(at));
            if (value == null) {
                throw error(at, "no earlier layer is named \"" + word(at) + "\"; name one with \"as " + word(at) + "\"");
            }
            return value;
        }

        private void select(List<Integer> s, List<String> w) {
            starts = s;
            words = w;
            index = 0;
        }

        private Shape inputShape() {
            if (!word(0).equalsIgnoreCase("in")) {
                throw error(0, "a spec starts with the input shape, e.g. \"in 1x28x28\"; found \"" + word(0) + "\"");
            }
            if (words.size() < 2) {
                throw error(0, "\"in\" needs a shape CxHxW, e.g. \"in 3x64x64\"");
            }
            index = 2;
            end();
            if (!word(1).contains("x")) {
                return Shape.flat(positive(1));
            }
            int[] dims = dims(1, 3);
            return new Shape(dims[0], dims[1], dims[2]);
        }

        private LayerSpec layer() {
            String keyword = word(0).toLowerCase(Locale.ROOT);
            index = 1;
            LayerSpec layer = switch (keyword) {
                case "conv" -> conv();
                case "maxpool", "avgpool" -> pool(keyword.equals("maxpool"));
                case "fc", "dense" -> new LayerSpec.Dense(positive(required("number of outputs")));
                case "dropout" -> dropout();
                case "relu" -> new LayerSpec.Relu();
                case "flatten" -> new LayerSpec.Flatten();
                case "softmax" -> new LayerSpec.Softmax();
                case "add" -> join(new LayerSpec.Add());
                case "concat" -> join(new LayerSpec.Concat());
                case "in" -> throw error(0, "\"in\" may only start the spec");
                default -> throw error(0, "unknown layer \"" + word(0)
                        + "\"; expected one of conv, maxpool, avgpool, fc, relu, flatten, dropout, softmax, add, concat");
            };
            end();
            return layer;
        }

        /** A join's names, word positions of the current segment: what {@link #parse} wires it to. */
        private List<Integer> joined = List.of();

        private LayerSpec join(LayerSpec join) {
            required("name of an output to join, e.g. " + join + " x");
            List<Integer> at = new ArrayList<>();
            for (int i = 1; i < words.size(); i++) {
                at.add(i);
            }
            index = words.size();
            joined = at;
            return join;
        }

        private LayerSpec conv() {
            int filters = positive(required("number of filters"));
            int kernelAt = required("kernel size, e.g. 3x3");
            int[] kernel = kernel(kernelAt);
            int stride = 1;
            int pad = 0;
            boolean same = false;
            int padAt = -1;
            while (index < words.size()) {
                String option = word(index).toLowerCase(Locale.ROOT);
                int optionAt = index++;
                switch (option) {
                    case "stride" -> stride = positive(required("stride value"));
                    case "pad" -> {
                        padAt = required("pad value, a number or \"same\"");
                        if (word(padAt).equalsIgnoreCase("same")) {
                            same = true;
                        } else {
                            pad = number(padAt, 0);
                        }
                    }
                    default -> throw error(optionAt, "unknown conv option \"" + word(optionAt) + "\"; expected stride or pad");
                }
            }
            if (same) {
                if (kernel[0] % 2 == 0 || kernel[1] != kernel[0] || stride != 1) {
                    throw error(padAt, "pad same needs a square odd kernel and stride 1; give pad as a number");
                }
                pad = kernel[0] / 2;
            }
            return new LayerSpec.Conv(filters, kernel[0], kernel[1], stride, pad);
        }

        private LayerSpec pool(boolean max) {
            int size = positive(required("window size"));
            int stride = size;
            if (index < words.size()) {
                int optionAt = index++;
                if (!word(optionAt).equalsIgnoreCase("stride")) {
                    throw error(optionAt, "unknown pool option \"" + word(optionAt) + "\"; expected stride");
                }
                stride = positive(required("stride value"));
            }
            return new LayerSpec.Pool(max, size, stride);
        }

        private LayerSpec dropout() {
            int at = required("dropout rate in [0, 1), e.g. 0.5");
            try {
                double rate = Double.parseDouble(word(at));
                if (rate >= 0 && rate < 1) {
                    return new LayerSpec.Dropout(rate);
                }
            } catch (NumberFormatException e) {
                // reported below with the token marked
            }
            throw error(at, "dropout rate must be a number in [0, 1), got \"" + word(at) + "\"");
        }

        private int required(String what) {
            if (index >= words.size()) {
                int last = words.size() - 1;
                throw new SpecParseException("\"" + words.get(0) + "\" needs a " + what, text,
                        starts.get(last) + words.get(last).length(), 1);
            }
            return index++;
        }

        private void end() {
            if (index < words.size()) {
                throw error(index, "unexpected \"" + word(index) + "\" after " + words.get(0));
            }
        }

        private int[] kernel(int at) {
            String w = word(at);
            if (!w.contains("x")) {
                int size = number(at, 1);
                return new int[] {size, size};
            }
            return dims(at, 2);
        }

        private int[] dims(int at, int count) {
            String[] parts = word(at).split("x", -1);
            if (parts.length != count) {
                throw error(at, "expected " + (count == 3 ? "CxHxW" : "KHxKW") + ", got \"" + word(at) + "\"");
            }
            int[] dims = new int[count];
            for (int i = 0; i < count; i++) {
                dims[i] = parse(at, parts[i], 1);
            }
            return dims;
        }

        private int positive(int at) {
            return number(at, 1);
        }

        private int number(int at, int min) {
            return parse(at, word(at), min);
        }

        private int parse(int at, String digits, int min) {
            try {
                int value = Integer.parseInt(digits);
                if (value >= min) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below with the token marked
            }
            throw error(at, "expected a whole number of at least " + min + ", got \"" + digits + "\"");
        }

        private String word(int i) {
            return words.get(i);
        }

        private SpecParseException error(int wordIndex, String problem) {
            return new SpecParseException(problem, text, starts.get(wordIndex), words.get(wordIndex).length());
        }
    }
}
