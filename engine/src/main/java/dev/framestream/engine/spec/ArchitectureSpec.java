package dev.framestream.engine.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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
 * Keywords are case-insensitive. {@link #toString()} is the canonical form, the one that travels
 * with the weights; parsing it gives the same spec.
 */
public record ArchitectureSpec(Shape input, List<LayerSpec> layers) {

    public ArchitectureSpec {
        layers = List.copyOf(layers);
    }

    /** Parses spec text; a mistake raises {@link SpecParseException} pointing at the bad token. */
    public static ArchitectureSpec parse(String text) {
        return new Parser(text).parse();
    }

    /** A reference network's spec by name ({@code DIGITS}, {@code CAMERA}, any case), else parses the text. */
    public static ArchitectureSpec of(String nameOrSpec) {
        return ReferenceNets.byName(nameOrSpec).orElseGet(() -> parse(nameOrSpec));
    }

    @Override
    public String toString() {
        return "in " + input
                + layers.stream().map(l -> " | " + l).collect(Collectors.joining());
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
            List<LayerSpec> layers = new ArrayList<>();
            for (int i = 1; i < segmentWords.size(); i++) {
                select(segmentStarts.get(i), segmentWords.get(i));
                layers.add(layer());
            }
            return new ArchitectureSpec(input, layers);
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
                case "in" -> throw error(0, "\"in\" may only start the spec");
                default -> throw error(0, "unknown layer \"" + word(0)
                        + "\"; expected one of conv, maxpool, avgpool, fc, relu, flatten, dropout, softmax");
            };
            end();
            return layer;
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
