package dev.framestream.engine.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Spec text cut into its layers (between {@code |}) and each layer into words, with where each
 * word starts in the text, so a parse error can point at its token.
 */
final class SpecTokens {
    /** One layer's words and their start positions. */
    record Segment(List<Integer> starts, List<String> words) {
    }

    private SpecTokens() {
    }

    /** The segments of {@code text}; an empty one (two bars in a row) is an error. */
    static List<Segment> of(String text) {
        List<Segment> segments = new ArrayList<>();
        int segmentStart = 0;
        for (int bar = 0; bar <= text.length(); bar++) {
            if (bar == text.length() || text.charAt(bar) == '|') {
                List<Integer> starts = new ArrayList<>();
                List<String> words = new ArrayList<>();
                for (int i = segmentStart; i < bar; ) {
                    if (Character.isWhitespace(text.charAt(i))) {
                        i++;
                        continue;
                    }
                    int end = i;
                    while (end < bar && !Character.isWhitespace(text.charAt(end))) {
                        end++;
                    }
                    starts.add(i);
                    words.add(text.substring(i, end));
                    i = end;
                }
                if (words.isEmpty()) {
                    throw new SpecParseException("empty layer between '|'; remove the extra '|'", text,
                            Math.min(bar, Math.max(0, text.length() - 1)), 1);
                }
                segments.add(new Segment(starts, words));
                segmentStart = bar + 1;
            }
        }
        return segments;
    }
}
