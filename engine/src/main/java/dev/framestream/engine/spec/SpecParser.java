package dev.framestream.engine.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.framestream.engine.spec.ArchitectureSpec.Node;
import dev.framestream.engine.tensor.Shape;

/**
 * Reads spec text ({@link ArchitectureSpec} gives the syntax) from its words and their positions
 * ({@link SpecTokens}), segment by segment, so a mistake points at its token.
 */
final class SpecParser {
    private final String text;
    private List<Integer> starts;
    private List<String> words;
    private int index;

    SpecParser(String text) {
        this.text = text;
    }

    ArchitectureSpec parse() {
        List<SpecTokens.Segment> segments = SpecTokens.of(text);
        List<List<Integer>> segmentStarts = segments.stream().map(SpecTokens.Segment::starts).toList();
        List<List<String>> segmentWords = segments.stream().map(SpecTokens.Segment::words).toList();
        select(segmentStarts.get(0), segmentWords.get(0));
        Shape input = inputShape();
        Map<String, Integer> named = new HashMap<>();
        named.put(ArchitectureSpec.INPUT, 0);
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
                if (!ArchitectureSpec.validName(name)) {
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
        Integer value = named.get(word(at).equalsIgnoreCase(ArchitectureSpec.INPUT) ? ArchitectureSpec.INPUT : word(at));
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
            case "relu6" -> LayerSpec.Clip.RELU6;
            case "clip" -> clip();
            case "leakyrelu" -> leakyRelu();
            case "sigmoid" -> new LayerSpec.Sigmoid();
            case "globalavgpool" -> new LayerSpec.GlobalAveragePool();
            case "batchnorm" -> batchNorm();
            case "flatten" -> new LayerSpec.Flatten();
            case "softmax" -> new LayerSpec.Softmax();
            case "add" -> join(new LayerSpec.Add());
            case "concat" -> join(new LayerSpec.Concat());
            case "in" -> throw error(0, "\"in\" may only start the spec");
            default -> throw error(0, "unknown layer \"" + word(0)
                    + "\"; expected one of conv, batchnorm, maxpool, avgpool, globalavgpool, fc, relu, relu6, clip, leakyrelu,"
                    + " sigmoid, flatten, dropout, softmax, add, concat");
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
        int groups = 1;
        boolean same = false;
        int padAt = -1;
        while (index < words.size()) {
            String option = word(index).toLowerCase(Locale.ROOT);
            int optionAt = index++;
            switch (option) {
                case "stride" -> stride = positive(required("stride value"));
                case "groups" -> {
                    int groupsAt = required("number of groups, e.g. groups 32");
                    groups = positive(groupsAt);
                    if (filters % groups != 0) {
                        throw error(groupsAt, filters + " filters do not split into " + groups + " groups; use a number of groups"
                                + " that divides both the filters and the input's channels");
                    }
                }
                case "pad" -> {
                    padAt = required("pad value, a number or \"same\"");
                    if (word(padAt).equalsIgnoreCase("same")) {
                        same = true;
                    } else {
                        pad = number(padAt, 0);
                    }
                }
                default -> throw error(optionAt, "unknown conv option \"" + word(optionAt) + "\"; expected stride, pad or groups");
            }
        }
        if (same) {
            if (kernel[0] % 2 == 0 || kernel[1] != kernel[0] || stride != 1) {
                throw error(padAt, "pad same needs a square odd kernel and stride 1; give pad as a number");
            }
            pad = kernel[0] / 2;
        }
        return new LayerSpec.Conv(filters, kernel[0], kernel[1], stride, pad, groups);
    }

    private LayerSpec pool(boolean max) {
        int size = positive(required("window size"));
        int stride = size;
        int pad = 0;
        boolean ceil = false;
        while (index < words.size()) {
            int optionAt = index++;
            switch (word(optionAt).toLowerCase(Locale.ROOT)) {
                case "stride" -> stride = positive(required("stride value"));
                case "pad" -> {
                    int padAt = required("pad value");
                    pad = number(padAt, 0);
                    if (2 * pad > size) {
                        throw error(padAt, "pad " + pad + " is more than half the window " + size
                                + ", so some windows would hold only padding; use at most " + size / 2);
                    }
                }
                case "ceil" -> ceil = true;
                default -> throw error(optionAt, "unknown pool option \"" + word(optionAt) + "\"; expected stride, pad or ceil");
            }
        }
        return new LayerSpec.Pool(max, size, stride, pad, ceil);
    }

    private LayerSpec batchNorm() {
        float epsilon = LayerSpec.BatchNorm.EPSILON;
        float momentum = LayerSpec.BatchNorm.MOMENTUM;
        while (index < words.size()) {
            int optionAt = index++;
            switch (word(optionAt).toLowerCase(Locale.ROOT)) {
                case "eps" -> {
                    int at = required("epsilon, e.g. eps 0.001");
                    epsilon = (float) decimal(at);
                    if (!(epsilon > 0)) {
                        throw error(at, "eps must be above 0 (it keeps the division finite), got \"" + word(at) + "\"");
                    }
                }
                case "momentum" -> {
                    int at = required("momentum in (0, 1], e.g. momentum 0.1");
                    momentum = (float) decimal(at);
                    if (!(momentum > 0 && momentum <= 1)) {
                        throw error(at, "momentum must be in (0, 1], got \"" + word(at) + "\"");
                    }
                }
                default -> throw error(optionAt, "unknown batchnorm option \"" + word(optionAt) + "\"; expected eps or momentum");
            }
        }
        return new LayerSpec.BatchNorm(epsilon, momentum);
    }

    private LayerSpec clip() {
        int minAt = required("minimum, e.g. clip 0 6");
        float min = (float) decimal(minAt);
        int maxAt = required("maximum, e.g. clip 0 6");
        float max = (float) decimal(maxAt);
        if (!(min < max)) {
            throw error(maxAt, "the upper bound " + word(maxAt) + " must be above the lower bound " + word(minAt));
        }
        return new LayerSpec.Clip(min, max);
    }

    private LayerSpec leakyRelu() {
        int at = required("slope for negative inputs in [0, 1), e.g. leakyrelu 0.01");
        float slope = (float) decimal(at);
        if (!(slope >= 0 && slope < 1)) {
            throw error(at, "the slope must be in [0, 1), got \"" + word(at) + "\"");
        }
        return new LayerSpec.LeakyRelu(slope);
    }

    /** A finite decimal number. */
    private double decimal(int at) {
        try {
            double value = Double.parseDouble(word(at));
            if (Double.isFinite(value) && Float.isFinite((float) value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the token marked
        }
        throw error(at, "expected a number such as 6 or 0.1, got \"" + word(at) + "\"");
    }

    private LayerSpec dropout() {
        int at = required("dropout rate in [0, 1), e.g. 0.5");
        double rate = decimal(at);
        if (!(rate >= 0 && rate < 1)) {
            throw error(at, "dropout rate must be a number in [0, 1), got \"" + word(at) + "\"");
        }
        return new LayerSpec.Dropout(rate);
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
