package dev.framestream.trainer.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.framestream.engine.training.OptimizerKind;

/** The builders' defaults are {@code framestream train --online}'s; the recipe's text is what a published version keeps. */
class OnlineRecipeTest {

    @Test
    void builderDefaultsAreThoseOfTrainOnlineAndPrintAsTheTrainingSummaryKeepsThem() {
        assertEquals("online: adamw lr 0.003 momentum 0.9 decay 0.05, constant rate, clip 5.0, label smoothing 0.1, shift 2.0 px,"
                + " rotate 0.0 deg, zoom 0.0, seed 1", OnlineRecipe.builder().build().toString());
        assertEquals("online: nesterov lr 0.01 momentum 0.9 decay 5.0E-4, constant rate, clip off, label smoothing 0.1, shift 2.0 px,"
                + " rotate 0.0 deg, zoom 0.0, seed 1",
                OnlineRecipe.builder().optimizer(OptimizerKind.NESTEROV).learningRate(0.01).clipNorm(0).build().toString());
    }

    @Test
    void buildValidatesAsTheRecordDoes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> OnlineRecipe.builder().learningRate(0).build());
        assertTrue(error.getMessage().contains("--lr must be a positive number"), error.getMessage());
    }

    @Test
    void settingsBuilderKeepsTheDefaultsOfTrainOnline() {
        OnlineSettings settings = OnlineSettings.builder().build();
        assertEquals("frames.labelled", settings.labelledTopic());
        assertEquals(32, settings.batch());
        assertEquals(16, settings.freshPerStep());
        assertEquals(5000, settings.replayCapacity());
        assertEquals(200, settings.publishEverySteps());
        assertTrue(settings.gate());
        assertEquals(OnlineRecipe.builder().build(), settings.recipe(), "the recipe of train --online's flags");
    }
}
