package dev.framestream.trainer.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.framestream.engine.training.OptimizerKind;

/** The builder's defaults are {@code framestream train}'s, and the text a model file keeps is unchanged by them. */
class RecipeTest {

    @Test
    void builderDefaultsAreThoseOfTrainAndPrintAsTheTrainingSummaryKeepsThem() {
        assertEquals("adamw lr 0.003 momentum 0.9 decay 0.05, cosine schedule (warm-up 0.5 epochs), batch 32, 10 epochs, clip 5.0,"
                + " label smoothing 0.1, shift 2.0 px, rotate 0.0 deg, zoom 0.0, normalise true, seed 1", Recipe.builder().build().toString());
    }

    @Test
    void weightDecayDefaultsToTheOptimisersOwnAsAutoDoes() {
        assertEquals(5e-4, Recipe.builder().optimizer(OptimizerKind.SGD).build().weightDecay());
        assertEquals(0.0, Recipe.builder().optimizer(OptimizerKind.SGD).weightDecay(0).build().weightDecay());
    }

    @Test
    void buildValidatesAsTheRecordDoes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Recipe.builder().batch(0).build());
        assertTrue(error.getMessage().contains("--epochs and --batch must be at least 1"), error.getMessage());
    }
}
