package dev.framestream.trainer.online;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.engine.training.StepResult;
import dev.framestream.engine.training.Training;
import dev.framestream.media.Image;
import dev.framestream.model.Model;
import dev.framestream.model.Preprocessing;
import dev.framestream.trainer.offline.Evaluation;

/**
 * Learning from a stream, with no Kafka in sight. Examples arrive one by one through
 * {@link #offer}: the {@link HoldOut} keeps some for the {@link ValidationWindow}, the rest queue
 * for training. Each step takes {@link OnlineSettings#freshPerStep()} queued examples and fills the
 * batch from the {@link ReplayBuffer}; the fresh ones then join the buffer. Every fresh example is
 * scored before the step learns from it (test, then train), which gives the prequential accuracy.
 *
 * <p>The learner keeps two networks: the challenger it trains, and a copy of the champion (the
 * last version published, or the starting weights). {@link #judge} scores both on the same
 * held-out frames; {@link #promote} makes the challenger the champion once it is published;
 * {@link #reject} counts a failed judgement and, after {@code revertAfter} in a row, restarts the
 * challenger from the champion with a fresh optimiser. A step that diverges reverts at once.
 */
public final class OnlineLearner {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineLearner.class);
    /** Fewer held-out frames than this cannot tell two versions apart; the gate waits for more. */
    static final int MIN_HELD_OUT = 20;
    private static final int LOSS_WINDOW = 50;
    private static final int ACCURACY_WINDOW = 500;

    /** One step: how many fresh and replayed examples, its loss, how many fresh ones it had right before learning. */
    public record StepReport(long step, int fresh, int replayed, double loss, int freshCorrect, double learningRate) {
    }

    /** Challenger and champion on the same held-out frames, and whether the challenger may be published. */
    public record Judgement(Evaluation challenger, Evaluation champion, boolean passes, String why) {
    }

    private final Model start;
    private final Network network;
    private final Network champion;
    private final WorkerPool pool;
    private final OnlineSettings settings;
    private final HoldOut holdOut;
    private final ReplayBuffer replay;
    private final ValidationWindow window;
    private final ArrayDeque<Example> queued = new ArrayDeque<>();
    private final Consumer<StepReport> onStep;
    private final Tensor input;
    private final int[] labels;
    private final int[] predicted;
    private final Example[] chosen;
    private final RollingMean recentLoss = new RollingMean(LOSS_WINDOW);
    private final RollingMean recentAccuracy = new RollingMean(ACCURACY_WINDOW);
    private Training training;
    private long steps;
    private long examplesSeen;
    private long stepsSinceChampion;
    private int rejectionsInARow;
    private long reverts;
    private Judgement lastJudgement;

    /**
     * @param start  the champion to begin from: its network is trained in place and its training
     *               summary's examples seen carry on
     * @param onStep told of every step (metrics, benchmarks)
     */
    public OnlineLearner(Model start, WorkerPool pool, OnlineSettings settings, Consumer<StepReport> onStep) {
        this.start = start;
        this.network = start.network();
        this.champion = Network.build(network.spec(), network.kernels());
        copy(network, champion);
        this.pool = pool;
        this.settings = settings;
        this.holdOut = new HoldOut(settings.holdOutShare());
        this.replay = new ReplayBuffer(settings.replayCapacity(), settings.recipe().seed());
        this.window = new ValidationWindow(settings.validationWindow());
        this.onStep = onStep;
        this.input = Tensor.zeros(settings.batch(), network.inputShape());
        this.labels = new int[settings.batch()];
        this.predicted = new int[settings.batch()];
        this.chosen = new Example[settings.batch()];
        this.training = newTraining();
        this.examplesSeen = start.summary().examplesSeen();
        // The summary keeps examples, not steps; full batches make this the step count the champion reached.
        this.steps = examplesSeen / settings.batch();
    }

    /** Takes a fresh example: held out (true) or queued for training (false). */
    public boolean offer(Example example) {
        if (holdOut.holds(example.camera(), example.sequence())) {
            window.add(example);
            return true;
        }
        queued.add(example);
        return false;
    }

    /**
     * Takes an example the champion already trained on (read again after a restart): it refills
     * the replay buffer or the validation window, and is not trained on again.
     */
    public void remember(Example example) {
        if (holdOut.holds(example.camera(), example.sequence())) {
            window.add(example);
        } else if (settings.replayCapacity() > 0) {
            replay.offer(example);
        }
    }

    /** Steps while a step's worth of fresh examples is queued; with {@code flush}, also on what is left. Returns the steps taken. */
    public int train(boolean flush) {
        int taken = 0;
        while (queued.size() >= settings.freshPerStep() || (flush && !queued.isEmpty())) {
            step();
            taken++;
        }
        return taken;
    }

    private void step() {
        int fresh = Math.min(settings.freshPerStep(), queued.size());
        for (int i = 0; i < fresh; i++) {
            chosen[i] = queued.poll();
        }
        int replayed = replay.size() == 0 ? 0 : settings.batch() - fresh;
        for (int i = 0; i < replayed; i++) {
            chosen[fresh + i] = replay.sample();
        }
        int count = fresh + replayed;
        if (count < training.minimumBatch()) {
            // Too few for the network's batch norms (a flush with nothing to replay yet): kept for replay, not trained on.
            for (int i = 0; i < fresh; i++) {
                if (settings.replayCapacity() > 0) {
                    replay.offer(chosen[i]);
                }
            }
            java.util.Arrays.fill(chosen, null);
            return;
        }
        Preprocessing preprocessing = start.preprocessing();
        int size = network.inputShape().size();
        long stepSeed = settings.recipe().seed() ^ (steps + 1) * 0x9E3779B97F4A7C15L;
        pool.parallelFor(count, (i, worker) -> {
            Image image = settings.recipe().augmentation().apply(chosen[i].framed(), new SplittableRandom(stepSeed + i));
            preprocessing.applyFramed(image, input.data(), i * size);
            labels[i] = chosen[i].label();
        });
        double rate = settings.recipe().learningRate();
        try {
            StepResult result = training.step(new Tensor(count, network.inputShape(), input.data()), labels, rate, predicted);
            int right = 0;
            for (int i = 0; i < fresh; i++) {
                boolean correct = predicted[i] == labels[i];
                right += correct ? 1 : 0;
                recentAccuracy.add(correct ? 1 : 0);
            }
            steps++;
            stepsSinceChampion++;
            examplesSeen += count;
            recentLoss.add(result.loss());
            onStep.accept(new StepReport(steps, fresh, replayed, result.loss(), right, rate));
        } catch (IllegalStateException diverged) {
            LOG.warn("{}; back to the champion's weights with a fresh optimiser", diverged.getMessage());
            revert();
        }
        for (int i = 0; i < fresh; i++) {
            if (settings.replayCapacity() > 0) {
                replay.offer(chosen[i]);
            }
        }
        java.util.Arrays.fill(chosen, null);
    }

    /** Scores challenger and champion on the validation window and applies the gate. */
    public Judgement judge() {
        if (window.size() < MIN_HELD_OUT && settings.gate()) {
            lastJudgement = new Judgement(null, null, false, "only " + window.size() + " held-out frames so far; the gate needs "
                    + MIN_HELD_OUT);
            return lastJudgement;
        }
        if (window.size() == 0) {
            lastJudgement = new Judgement(null, null, true, "gate off, no held-out frames to score");
            return lastJudgement;
        }
        Evaluation challenger = window.evaluate(network, pool, start.preprocessing());
        Evaluation best = window.evaluate(champion, pool, start.preprocessing());
        String figures = String.format("challenger %.2f%% (loss %.4f) against champion %.2f%% (loss %.4f) on %d held-out frames",
                100 * challenger.accuracy(), challenger.loss(), 100 * best.accuracy(), best.loss(), challenger.examples());
        boolean notWorse = challenger.accuracy() >= best.accuracy() - settings.gateTolerance();
        if (!settings.gate()) {
            lastJudgement = new Judgement(challenger, best, true, "gate off; " + figures);
        } else {
            lastJudgement = new Judgement(challenger, best, notWorse, figures);
        }
        return lastJudgement;
    }

    /** The challenger was published: it becomes the champion. */
    public void promote() {
        copy(network, champion);
        stepsSinceChampion = 0;
        rejectionsInARow = 0;
    }

    /** The challenger failed the gate; returns true when that was one time too many and training went back to the champion. */
    public boolean reject() {
        rejectionsInARow++;
        if (rejectionsInARow >= settings.revertAfter()) {
            LOG.info("{} challengers in a row were worse than the champion; training goes on from the champion's weights", rejectionsInARow);
            revert();
            return true;
        }
        return false;
    }

    private void revert() {
        copy(champion, network);
        training = newTraining();
        stepsSinceChampion = 0;
        rejectionsInARow = 0;
        reverts++;
    }

    private Training newTraining() {
        OnlineRecipe recipe = settings.recipe();
        return new Training(network, pool, recipe.newOptimizer(), recipe.clipNorm(), recipe.labelSmoothing(), recipe.seed());
    }

    private static void copy(Network from, Network to) {
        from.parameters().forEach((name, parameter) -> to.setWeights(name, parameter.values()));
    }

    /** The network being trained (the challenger). */
    public Network network() {
        return network;
    }

    public long steps() {
        return steps;
    }

    /** Training examples stepped on since the model began, counting replays. */
    public long examplesSeen() {
        return examplesSeen;
    }

    /** Steps since the challenger last was the champion: 0 means there is nothing new to publish. */
    public long stepsSinceChampion() {
        return stepsSinceChampion;
    }

    /** Fresh examples waiting for a step. */
    public int queued() {
        return queued.size();
    }

    public int replaySize() {
        return replay.size();
    }

    public int heldOut() {
        return window.size();
    }

    /** How many times training went back to the champion (rejections in a row, or divergence). */
    public long reverts() {
        return reverts;
    }

    /** Mean loss of the last steps, NaN before the first. */
    public double recentLoss() {
        return recentLoss.mean();
    }

    /** Share of the last fresh examples the model had right just before it learned from them, NaN before the first. */
    public double prequentialAccuracy() {
        return recentAccuracy.mean();
    }

    /** The last judgement, or null before the first. */
    public Judgement lastJudgement() {
        return lastJudgement;
    }
}
