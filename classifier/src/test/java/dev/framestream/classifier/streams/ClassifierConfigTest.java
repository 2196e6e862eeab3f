package dev.framestream.classifier.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                        Runtime.getRuntime().availableProcessors(), Duration.ofMillis(50), null, null,
                        GroupMembership.staticMember(GroupMembership.defaultInstanceId(null), Duration.ofSeconds(3))),
                ClassifierConfig.builder(CLIENT, SETTINGS).build());
    }

    @Test
    void builder_setsWhatItNames_andKeepsTheRest() {
        ClassifierConfig config = ClassifierConfig.builder(CLIENT, SETTINGS).applicationId("it").modelFile(Path.of("m.fsm"))
                .streamThreads(2).engineThreads(3).stateDir(Path.of("state")).build();
        assertEquals(new ClassifierConfig(CLIENT, "it", SETTINGS, TopicNames.MODEL_WEIGHTS, Path.of("m.fsm"), null, 2, 3,
                Duration.ofMillis(50), Path.of("state"), null, GroupMembership.staticMember(GroupMembership.defaultInstanceId(Path.of("state")),
                Duration.ofSeconds(3))), config);
    }

    @Test
    void theDefaultInstanceId_tellsStateDirectoriesApart_andStaysTheSameForOne() {
        String one = GroupMembership.defaultInstanceId(Path.of("state-a"));
        assertEquals(one, GroupMembership.defaultInstanceId(Path.of("state-a").toAbsolutePath()), "the same directory, however it is named");
        assertNotEquals(one, GroupMembership.defaultInstanceId(Path.of("state-b")));
        assertTrue(one.matches("framestream-[a-z0-9.-]+-[0-9a-f]{8}"), one);
    }

    @Test
    void anInstanceIdKafkaWouldRefuse_isRefusedNamingTheCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupMembership.staticMember("cam host/1", Duration.ofSeconds(3)));
        assertTrue(e.getMessage().contains("a-z A-Z 0-9 . _ -"), e.getMessage());
    }
}
