package dev.framestream.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ClassifierMetricsTest {

    private static Set<String> cameraTags(SimpleMeterRegistry registry) {
        return registry.find("framestream.classifier.frames.in").counters().stream().map(c -> c.getId().getTag("camera"))
                .collect(Collectors.toSet());
    }

    @Test
    void keysThatAreNoCameraIdCountUnderOneLabel() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClassifierMetrics metrics = new ClassifierMetrics(registry);
        metrics.frameIn("door-1");
        metrics.frameIn("bad key with spaces");
        metrics.frameIn("x".repeat(65));
        metrics.frameIn("\u0000\u00ff");
        metrics.frameIn(null);
        assertEquals(Set.of("door-1", "other"), cameraTags(registry));
        assertEquals(4, registry.get("framestream.classifier.frames.in").tag("camera", "other").counter().count());
    }

    @Test
    void camerasPastTheCapCountUnderTheSameLabelAndKnownOnesKeepTheirOwn() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClassifierMetrics metrics = new ClassifierMetrics(registry);
        for (int i = 0; i < CameraLabels.MAX_CAMERAS + 500; i++) {
            metrics.frameIn("cam-" + i);
        }
        metrics.frameIn("cam-0");
        metrics.classified("cam-" + (CameraLabels.MAX_CAMERAS + 7), 5);
        assertEquals(CameraLabels.MAX_CAMERAS + 1, cameraTags(registry).size());
        assertEquals(2, registry.get("framestream.classifier.frames.in").tag("camera", "cam-0").counter().count());
        assertEquals(500, registry.get("framestream.classifier.frames.in").tag("camera", "other").counter().count());
        Counter out = registry.get("framestream.classifier.frames.out").tag("camera", "other").counter();
        assertEquals(1, out.count());
    }
}
