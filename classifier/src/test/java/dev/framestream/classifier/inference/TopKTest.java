package dev.framestream.classifier.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.framestream.schemas.LabelProbability;

class TopKTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "d");

    private static List<String> labels(List<LabelProbability> top) {
        return top.stream().map(l -> l.getLabel().toString()).toList();
    }

    @Test
    void listsTheMostProbableFirstFromItsOwnRow() {
        float[] rows = {0.9f, 0.05f, 0.03f, 0.02f, 0.1f, 0.2f, 0.6f, 0.1f};
        List<LabelProbability> top = TopK.of(rows, 4, 4, NAMES, 3, false);
        assertEquals(List.of("c", "b", "a"), labels(top));
        assertEquals(0.6f, top.get(0).getProbability());
    }

    @Test
    void tiesGoToTheLowerClassAndKIsCappedAtTheClassCount() {
        assertEquals(List.of("b", "d", "a", "c"), labels(TopK.of(new float[] {0.1f, 0.4f, 0.1f, 0.4f}, 0, 4, NAMES, 9, false)));
    }

    @Test
    void logitsBecomeProbabilitiesWithoutOverflow() {
        List<LabelProbability> top = TopK.of(new float[] {1000f, 999f, -5f, 0f}, 0, 4, NAMES, 2, true);
        assertEquals(List.of("a", "b"), labels(top));
        assertEquals(1 / (1 + Math.exp(-1)), top.get(0).getProbability(), 1e-6);
    }
}
