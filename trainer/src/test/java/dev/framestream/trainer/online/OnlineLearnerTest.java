package dev.framestream.trainer.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.training.OptimizerKind;
import dev.framestream.media.Shapes;
import dev.framestream.model.Model;
import dev.framestream.model.Preprocessing;
import dev.framestream.model.TrainingSummary;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.trainer.data.Augmentation;

/** The learning side of online training, without Kafka: steps, the hold-out, the replay buffer, the gate. */
class OnlineLearnerTest {
    private static final SingleObjectCodec<Frame> FRAMES = SingleObjectCodec.frame();
    private static final DeadLetters.Origin ORIGIN = new DeadLetters.Origin("frames.labelled", 0, 7);
    private static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    private static OnlineSettings settings(double learningRate, double clip, int revertAfter) {
        OnlineRecipe recipe = OnlineRecipe.builder().optimizer(learningRate > 1 ? OptimizerKind.SGD : OptimizerKind.ADAM)
                .learningRate(learningRate).momentum(0).weightDecay(0).clipNorm(clip).labelSmoothing(0).augmentation(Augmentation.none())
                .seed(3).build();
        return OnlineSettings.builder().replayCapacity(2000).revertAfter(revertAfter).recipe(recipe).build();
    }

    private static List<Example> examples(Model model, String camera, int count, long seed) {
        LabelledFrames frames = new LabelledFrames(model);
        List<Example> examples = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            LabelledFrames.Read read = frames.read(FRAMES.encode(ShapeStream.frame(camera, n, seed)), ORIGIN);
            examples.add(assertInstanceOf(LabelledFrames.Usable.class, read).example());
        }
        return examples;
    }

    @Test
    void learnsTheStreamTestingEachFrameBeforeTrainingOnItAndTheChallengerBeatsTheFreshChampion() {
        Model model = ShapeStream.freshModel("shapes", 1);
        List<OnlineLearner.StepReport> steps = new ArrayList<>();
        OnlineLearner learner = new OnlineLearner(model, pool, settings(3e-3, 5, 3), steps::add);
        int heldOut = 0;
        for (Example example : examples(model, "cam", 2400, 1)) {
            heldOut += learner.offer(example) ? 1 : 0;
            learner.train(false);
        }
        learner.train(true);
        assertEquals(heldOut, learner.heldOut(), "held-out frames go to the validation window, not to training");
        assertTrue(heldOut > 150 && heldOut < 330, "about 10 % of 2400 frames are held out, got " + heldOut);
        int fresh = steps.stream().mapToInt(OnlineLearner.StepReport::fresh).sum();
        assertEquals(2400 - heldOut, fresh, "every other frame is trained on exactly once as a fresh example");
        assertEquals(0, learner.queued());
        assertTrue(steps.get(5).replayed() > 0, "after the first steps, batches mix in replayed examples");
        assertEquals(learner.examplesSeen(), steps.stream().mapToLong(s -> s.fresh() + s.replayed()).sum());
        assertTrue(learner.prequentialAccuracy() > 0.75, "prequential accuracy over the last 500 fresh frames (chance 1/3): " + learner.prequentialAccuracy());
        OnlineLearner.Judgement judgement = learner.judge();
        assertTrue(judgement.passes(), judgement.why());
        assertTrue(judgement.challenger().accuracy() > 0.75 && judgement.champion().accuracy() < 0.6, judgement.why());
    }

    @Test
    void aWorseChallengerFailsTheGateAndEnoughFailuresRevertToTheChampion() {
        Model model = ShapeStream.freshModel("shapes", 2);
        OnlineLearner good = new OnlineLearner(model, pool, settings(3e-3, 5, 1), step -> { });
        examples(model, "cam", 1500, 2).forEach(e -> {
            good.offer(e);
            good.train(false);
        });
        assertTrue(good.judge().passes());
        good.promote();
        assertEquals(0, good.stepsSinceChampion());
        float[] championWeights = model.network().weights("fc1.weight");

        // A rate a hundred times too high, with clipping keeping it finite: a worse network, not a diverged one.
        Model again = new Model("shapes", 1, java.util.OptionalLong.empty(), java.time.Instant.now(), model.network(), model.classNames(),
                model.preprocessing(), model.summary());
        OnlineLearner wild = new OnlineLearner(again, pool, settings(40, 1, 1), step -> { });
        examples(again, "cam", 300, 9).forEach(e -> {
            wild.offer(e);
            wild.train(false);
        });
        wild.train(true);
        assertTrue(wild.stepsSinceChampion() > 0, "the wild steps stayed finite");
        OnlineLearner.Judgement judgement = wild.judge();
        assertFalse(judgement.passes(), "the gate refuses a challenger worse than the champion: " + judgement.why());
        assertTrue(wild.reject(), "with --revert-after 1 one rejection goes back to the champion");
        assertArrayEquals(championWeights, again.network().weights("fc1.weight"), "reverted to the champion's weights exactly");
        assertEquals(0, wild.stepsSinceChampion());
    }

    /**
     * A batch norm after the global average sees one value per channel per example, so a step
     * needs two: a flush of one frame with nothing to replay yet keeps it for replay instead of
     * failing, and the next step trains on it.
     */
    @Test
    void aBatchTooSmallForTheBatchNormsWaitsInsteadOfFailing() {
        Network network = Network.build("in 1x16x16 | conv 4 3x3 | batchnorm | relu | globalavgpool | flatten | batchnorm | fc 3 | softmax");
        network.initialise(4);
        Model model = new Model("norms", 1, java.util.OptionalLong.empty(), java.time.Instant.now(), network, Shapes.CLASSES,
                Preprocessing.unitScale(network.inputShape()), TrainingSummary.none());
        List<OnlineLearner.StepReport> steps = new ArrayList<>();
        OnlineLearner learner = new OnlineLearner(model, pool, settings(1e-3, 5, 1000), steps::add);
        List<Example> examples = examples(model, "cam", 40, 9).stream().filter(e -> !learnerHolds(e)).toList();

        learner.offer(examples.get(0));
        learner.train(true);
        assertEquals(List.of(), steps, "one frame is no batch for these batch norms");
        for (int i = 1; i < 20; i++) {
            learner.offer(examples.get(i));
        }
        learner.train(true);
        assertTrue(!steps.isEmpty() && steps.get(0).replayed() > 0, "the kept frame is replayed: " + steps);
    }

    private static boolean learnerHolds(Example example) {
        return new HoldOut(OnlineSettings.builder().build().holdOutShare()).holds(example.camera(), example.sequence());
    }

    @Test
    void theHoldOutIsFixedByCameraAndSequence() {
        HoldOut holdOut = new HoldOut(0.1);
        int held = 0;
        for (long sequence = 0; sequence < 20_000; sequence++) {
            boolean first = holdOut.holds("door", sequence);
            assertEquals(first, holdOut.holds("door", sequence), "the same frame always lands on the same side");
            held += first ? 1 : 0;
        }
        assertEquals(2000, held, 150, "a 10 % hold-out holds about 10 % out");
        assertFalse(new HoldOut(0).holds("door", 1));
    }

    @Test
    void theReplayBufferKeepsAUniformSampleOfEverythingOffered() {
        ReplayBuffer buffer = new ReplayBuffer(1000, 5);
        for (int n = 0; n < 20_000; n++) {
            buffer.offer(new Example(null, 0, "cam", n));
        }
        assertEquals(1000, buffer.size());
        assertEquals(20_000, buffer.offered());
        int early = 0;
        for (int i = 0; i < 4000; i++) {
            early += buffer.sample().sequence() < 10_000 ? 1 : 0;
        }
        // Half of everything offered came first; a uniform sample keeps about half of it, not only recent examples.
        assertEquals(2000, early, 300);
    }

    @Test
    void framesTheModelCannotLearnFromAreRefusedWithTheReasonAndWhatToDo() {
        Model model = ShapeStream.freshModel("shapes", 1);
        LabelledFrames frames = new LabelledFrames(model);
        Frame hexagon = ShapeStream.frame("cam", 1, 1);
        hexagon.setTruth("hexagon");
        Frame unlabelled = ShapeStream.frame("cam", 2, 1);
        unlabelled.setTruth(null);
        Frame cut = ShapeStream.frame("cam", 3, 1);
        cut.setPixels(java.nio.ByteBuffer.wrap(new byte[10]));
        assertRefused(frames.read(FRAMES.encode(hexagon), ORIGIN), Reason.UNKNOWN_LABEL, "\"hexagon\"");
        assertRefused(frames.read(FRAMES.encode(unlabelled), ORIGIN), Reason.UNKNOWN_LABEL, "no truth");
        assertRefused(frames.read(FRAMES.encode(cut), ORIGIN), Reason.SHAPE_MISMATCH, "carries 10 bytes");
        assertRefused(frames.read(new byte[] {1, 2, 3}, ORIGIN), Reason.BAD_MAGIC, "not a Frame");
        assertRefused(frames.read(null, ORIGIN), Reason.UNDECODABLE, "tombstone");
        Model colour = new Model("colour", 1, java.util.OptionalLong.empty(), java.time.Instant.now(),
                dev.framestream.engine.Network.build("in 3x16x16 | flatten | fc 3 | softmax"), model.classNames(),
                dev.framestream.model.Preprocessing.unitScale(new dev.framestream.engine.tensor.Shape(3, 16, 16)), model.summary());
        assertRefused(new LabelledFrames(colour).read(FRAMES.encode(ShapeStream.frame("cam", 4, 1)), ORIGIN), Reason.SHAPE_MISMATCH, "is grey");
    }

    private static void assertRefused(LabelledFrames.Read read, Reason reason, String mentions) {
        LabelledFrames.Refused refused = assertInstanceOf(LabelledFrames.Refused.class, read);
        assertEquals(reason, refused.problem().reason(), refused.problem().message());
        assertTrue(refused.problem().message().contains(mentions), refused.problem().message());
    }

    @Test
    void settingsRefuseAGateWithNothingHeldOut() {
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OnlineSettings.builder().gate(true).holdOutShare(0).build());
        assertTrue(error.getMessage().contains("--hold-out"), error.getMessage());
    }
}
