package dev.framestream.classifier.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.TestModels;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.model.Model;
import dev.framestream.model.WeightsSigning;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.SingleObjectCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Validation and swapping of weights: every way a version is refused leaves the last good one serving. */
class ModelSwitchTest {
    private static final DeadLetters.Origin ORIGIN = new DeadLetters.Origin("model.weights", 0, 9);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private WorkerPool pool;
    private ModelSwitch models;

    @BeforeEach
    void start() {
        pool = new WorkerPool(1);
        models = new ModelSwitch(new WeightsValidator(Kernels.best(), pool, 4), new ClassifierMetrics(registry), "shapes");
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    private ServingModel serveFirst() {
        ModelSwitch.Result result = models.offer(TestModels.record(TestModels.model("shapes", 1, TestModels.GREY, 1)), ORIGIN);
        return assertInstanceOf(ModelSwitch.Result.Swapped.class, result).now();
    }

    private Reason rejectedReason(ModelSwitch.Result result) {
        return assertInstanceOf(ModelSwitch.Result.Rejected.class, result).reason();
    }

    @Test
    void rejectsWeightsWithNaNAndKeepsServingThePreviousVersion() {
        ServingModel first = serveFirst();
        Model next = TestModels.model("shapes", 2, TestModels.GREY, 2);
        ModelSwitch.Result result = models.offer(TestModels.withValue(TestModels.record(next), "fc1.weight", 3, Float.NaN), ORIGIN);
        assertEquals(Reason.NON_FINITE, rejectedReason(result));
        assertTrue(((ModelSwitch.Result.Rejected) result).message().contains("NaN"), result.toString());
        assertSame(first, models.get());
        assertEquals(1, registry.find("framestream.classifier.weights.rejected").tag("reason", "NON_FINITE").counter().count());
    }

    @Test
    void rejectsWeightsWhoseChecksumDoesNotMatch() {
        ServingModel first = serveFirst();
        ModelWeights honest = TestModels.record(TestModels.model("shapes", 2, TestModels.GREY, 2));
        ModelWeights tampered = ModelWeights.newBuilder(TestModels.withValue(honest, "fc1.weight", 0, 0.5f)).setSha256(honest.getSha256()).build();
        ModelSwitch.Result result = models.offer(tampered, ORIGIN);
        assertEquals(Reason.CHECKSUM_MISMATCH, rejectedReason(result));
        assertSame(first, models.get());
    }

    @Test
    void rejectsAnotherArchitectureThanTheOneServing() {
        ServingModel first = serveFirst();
        ModelSwitch.Result result = models.offer(TestModels.record(TestModels.model("shapes", 2, TestModels.COLOUR, 2)), ORIGIN);
        assertEquals(Reason.BAD_WEIGHTS, rejectedReason(result));
        assertTrue(((ModelSwitch.Result.Rejected) result).message().contains("serves one architecture"), result.toString());
        assertSame(first, models.get());
    }

    @Test
    void rejectsWeightsThatOverflowOnTheSmokePass() {
        ServingModel first = serveFirst();
        Model huge = TestModels.model("shapes", 2, TestModels.GREY, 2);
        float[] weights = huge.network().weights("fc1.weight");
        java.util.Arrays.fill(weights, 3e38f);
        huge.network().setWeights("fc1.weight", weights);
        ModelSwitch.Result result = models.offer(TestModels.record(huge), ORIGIN);
        assertEquals(Reason.NON_FINITE, rejectedReason(result));
        assertTrue(((ModelSwitch.Result.Rejected) result).message().contains("grey test frame"), result.toString());
        assertSame(first, models.get());
    }

    @Test
    void rejectsBytesThatAreNotAWeightsRecord() {
        assertEquals(Reason.BAD_WEIGHTS, rejectedReason(models.offer("junk".getBytes(), null, ORIGIN)));
        assertEquals(null, models.get());
    }

    @Test
    void ignoresOlderVersionsAndOtherModels() {
        ServingModel first = serveFirst();
        assertInstanceOf(ModelSwitch.Result.Ignored.class, models.offer(TestModels.record(TestModels.model("shapes", 1, TestModels.GREY, 5)), ORIGIN));
        assertInstanceOf(ModelSwitch.Result.Ignored.class, models.offer(TestModels.record(TestModels.model("other", 9, TestModels.GREY, 5)), ORIGIN));
        assertSame(first, models.get());
        ModelSwitch.Result newer = models.offer(SingleObjectCodec.modelWeights().encode(
                TestModels.record(TestModels.model("shapes", 5, TestModels.GREY, 5))), null, ORIGIN);
        assertEquals(5, assertInstanceOf(ModelSwitch.Result.Swapped.class, newer).now().version(), "versions may skip numbers");
    }

    @Test
    void withoutAModelNameTheFirstValidModelIsFollowed() {
        ModelSwitch open = new ModelSwitch(new WeightsValidator(Kernels.best(), pool, 4), new ClassifierMetrics(registry), null);
        assertInstanceOf(ModelSwitch.Result.Swapped.class, open.offer(TestModels.record(TestModels.model("first", 1, TestModels.GREY, 1)), ORIGIN));
        assertEquals("first", open.followed());
        assertInstanceOf(ModelSwitch.Result.Ignored.class, open.offer(TestModels.record(TestModels.model("second", 2, TestModels.GREY, 1)), ORIGIN));
    }

    @Test
    void withATrustedKeyOnlyVersionsSignedByItsPrivateKeyServe() {
        KeyPair trainer = WeightsSigning.newKeyPair();
        KeyPair stranger = WeightsSigning.newKeyPair();
        ModelSwitch signedOnly = new ModelSwitch(new WeightsValidator(Kernels.best(), pool, 4), new ClassifierMetrics(registry), "shapes",
                trainer.getPublic());
        byte[] v1 = SingleObjectCodec.modelWeights().encode(TestModels.record(TestModels.model("shapes", 1, TestModels.GREY, 1)));
        byte[] v2 = SingleObjectCodec.modelWeights().encode(TestModels.record(TestModels.model("shapes", 2, TestModels.GREY, 2)));

        ModelSwitch.Result unsigned = signedOnly.offer(v1, null, ORIGIN);
        assertEquals(Reason.BAD_WEIGHTS, rejectedReason(unsigned));
        assertTrue(((ModelSwitch.Result.Rejected) unsigned).message().contains("not signed"), unsigned.toString());
        ModelSwitch.Result wrongKey = signedOnly.offer(v1, WeightsSigning.sign(stranger.getPrivate(), v1), ORIGIN);
        assertTrue(((ModelSwitch.Result.Rejected) wrongKey).message().contains("does not verify"), wrongKey.toString());
        ModelSwitch.Result otherBytes = signedOnly.offer(v1, WeightsSigning.sign(trainer.getPrivate(), v2), ORIGIN);
        assertEquals(Reason.BAD_WEIGHTS, rejectedReason(otherBytes), "a signature of other bytes does not carry over");
        assertEquals(null, signedOnly.get(), "nothing unsigned or wrongly signed serves");

        assertInstanceOf(ModelSwitch.Result.Swapped.class, signedOnly.offer(v1, WeightsSigning.sign(trainer.getPrivate(), v1), ORIGIN));
        assertInstanceOf(ModelSwitch.Result.Swapped.class, signedOnly.offer(v2, WeightsSigning.sign(trainer.getPrivate(), v2), ORIGIN));
        assertEquals(2, signedOnly.get().version());
        assertEquals(3, registry.find("framestream.classifier.weights.rejected").tag("reason", "BAD_WEIGHTS").counter().count());
    }

    @Test
    void theModelFileGivenAtStartIsTrustedAsItIs() {
        ModelSwitch signedOnly = new ModelSwitch(new WeightsValidator(Kernels.best(), pool, 4), new ClassifierMetrics(registry), "shapes",
                WeightsSigning.newKeyPair().getPublic());
        assertInstanceOf(ModelSwitch.Result.Swapped.class,
                signedOnly.offer(TestModels.record(TestModels.model("shapes", 1, TestModels.GREY, 1)), ORIGIN));
    }
}
