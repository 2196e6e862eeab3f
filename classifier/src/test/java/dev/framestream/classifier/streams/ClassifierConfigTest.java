package dev.framestream.classifier.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.schemas.TopicNames;

class ClassifierConfigTest {
    private static final Map<String, Object> CLIENT = Map.of("bootstrap.servers", "127.0.0.1:9092");
    private static final ClassifierSettings SETTINGS = new ClassifierSettings(TopicNames.FRAMES, TopicNames.CLASSIFICATIONS,
            TopicNames.DEAD_LETTERS, 32, Duration.ofMillis(10), 3, false);

    @Test
    void builder_namesNothing_givesClassifysDefaults() {
        assertEquals(new ClassifierConfig(CLIENT, "framestream-classifier", SETTINGS, TopicNames.MODEL_WEIGHTS, null, null, 1,
                        Runtime.getRuntime().availableProcessors(), Duration.ofMillis(50), null, null),
                ClassifierConfig.builder(CLIENT, SETTINGS).build());
    }

    @Test
    void builder_setsWhatItNames_andKeepsTheRest() {
        ClassifierConfig config = ClassifierConfig.builder(CLIENT, SETTINGS).applicationId("it").modelFile(Path.of("m.fsm"))
                .streamThreads(2).engineThreads(3).stateDir(Path.of("state")).build();
        assertEquals(new ClassifierConfig(CLIENT, "it", SETTINGS, TopicNames.MODEL_WEIGHTS, Path.of("m.fsm"), null, 2, 3,
                Duration.ofMillis(50), Path.of("state"), null), config);
    }
}
