package dev.framestream.trainer.offline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.engine.training.LearningRateSchedule;
import dev.framestream.engine.training.StepResult;
import dev.framestream.engine.training.Training;
import dev.framestream.media.Dataset;
import dev.framestream.media.Image;
import dev.framestream.model.Model;
import dev.framestream.model.Preprocessing;
import dev.framestream.model.TrainingSummary;

/**
 * Epochs over a dataset held in memory: each epoch shuffles (seeded), augments, preprocesses each
 * mini-batch with the model's own preprocessing, and steps; then validates. The weights of the
 * epoch with the lowest validation loss are the result, and training stops early when that loss
 * has not improved for {@code patience} epochs. With no validation images, the last epoch's are.
 */
public final class OfflineTraining {
    private final WorkerPool pool;
    private final Recipe recipe;
    private final TrainingListener listener;

    /** The trained model (best epoch's weights) and every epoch's figures. */
    public record Result(Model model, List<EpochReport> epochs, boolean stoppedEarly, double seconds) {
    }

    public OfflineTraining(WorkerPool pool, Recipe recipe, TrainingListener listener) {
        this.pool = pool;
        this.recipe = recipe;
        this.listener = listener;
    }

    /**
     * Trains {@code start}'s network in place on {@code train}, validating on {@code validation}.
     * The result is version {@code start.version() + 1} when {@code start} had trained weights,
     * else version 1.
     */
    public Result run(Model start, boolean fromTrained, Dataset train, Dataset validation) {
        train.requireTrainable();
        if (!train.classNames().equals(start.classNames())) {
            throw new IllegalArgumentException("the data's classes " + train.classNames() + " are not the model's " + start.classNames());
        }
        Network network = start.network();
        Preprocessing preprocessing = recipe.normalise() ? Normalisation.fit(start.preprocessing(), train, recipe.seed())
                : start.preprocessing();
        Training training = new Training(network, pool, recipe.optimizer().create(recipe.momentum(), recipe.weightDecay()),
                recipe.clipNorm(), recipe.labelSmoothing(), recipe.seed());
        // A last batch too small for the network's batch norms is left out of that epoch (it is shuffled into the next).
        int stepsPerEpoch = (train.size() + recipe.batch() - 1) / recipe.batch();
        if (train.size() % recipe.batch() != 0 && train.size() % recipe.batch() < training.minimumBatch() && stepsPerEpoch > 1) {
            stepsPerEpoch--;
        }
        LearningRateSchedule schedule = recipe.scheduleFor(stepsPerEpoch);
        SplittableRandom random = new SplittableRandom(recipe.seed());
        Tensor batch = Tensor.zeros(recipe.batch(), network.inputShape());
        int[] labels = new int[recipe.batch()];
        List<EpochReport> reports = new ArrayList<>();
        Map<String, float[]> best = snapshot(network);
        double bestLoss = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        long examplesSeen = 0;
        long began = System.nanoTime();
        boolean stoppedEarly = false;
        for (int epoch = 1; epoch <= recipe.epochs(); epoch++) {
            listener.epochStarted(epoch, recipe.epochs(), stepsPerEpoch);
            long epochStart = System.nanoTime();
            int[] order = Dataset.shuffled(train.size(), random);
            double lossSum = 0;
            int correct = 0;
            int seen = 0;
            double rate = 0;
            for (int step = 0; step < stepsPerEpoch; step++) {
                int from = step * recipe.batch();
                int count = Math.min(recipe.batch(), train.size() - from);
                fill(train, order, from, count, batch.data(), labels, preprocessing, epoch);
                rate = schedule.rate(training.steps());
                StepResult result = training.step(new Tensor(count, network.inputShape(), batch.data()), labels, rate);
                lossSum += result.loss() * count;
                correct += result.correct();
                seen += count;
                listener.stepDone(step + 1, result, lossSum / seen, (double) correct / seen, rate);
            }
            examplesSeen += seen;
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            // Without validation images every epoch is the best so far: the last one is the result.
            Evaluation check = validation.size() == 0 ? new Evaluation(Double.NaN, Double.NaN, 0)
                    : Evaluation.of(network, pool, validation, preprocessing);
            boolean improved = validation.size() == 0 || check.loss() < bestLoss;
            if (improved) {
                bestLoss = check.loss();
                best = snapshot(network);
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochReport report = new EpochReport(epoch, lossSum / seen, (double) correct / seen, check.loss(), check.accuracy(),
                    seen / seconds, seconds, rate, improved);
            reports.add(report);
            listener.epochDone(report);
            if (recipe.patience() > 0 && sinceBest >= recipe.patience() && epoch < recipe.epochs()) {
                stoppedEarly = true;
                break;
            }
        }
        best.forEach(network::setWeights);
        EpochReport chosen = reports.stream().filter(EpochReport::best).reduce((a, b) -> b).orElse(reports.get(reports.size() - 1));
        TrainingSummary summary = new TrainingSummary(examplesSeen, (double) examplesSeen / train.size(), chosen.trainLoss(),
                chosen.trainAccuracy(), chosen.validationLoss(), chosen.validationAccuracy(), train.source(), recipe.toString());
        Model model = new Model(start.name(), fromTrained ? start.version() + 1 : 1,
                fromTrained ? OptionalLong.of(start.version()) : OptionalLong.empty(), Instant.now(), network, start.classNames(),
                preprocessing, summary);
        return new Result(model, reports, stoppedEarly, (System.nanoTime() - began) / 1e9);
    }

    /**
     * Augments and preprocesses examples {@code [from, from + count)} of the epoch's order into the
     * batch, in parallel. Each example's random draw is seeded by the run's seed, the epoch and its
     * place, so the batch is the same whichever thread made which example.
     */
    private void fill(Dataset train, int[] order, int from, int count, float[] input, int[] labels, Preprocessing preprocessing, int epoch) {
        int size = preprocessing.shape().size();
        pool.parallelFor(count, (i, worker) -> {
            int index = order[from + i];
            SplittableRandom random = new SplittableRandom(recipe.seed() ^ ((long) epoch << 32) ^ (from + i) * 0x9E3779B97F4A7C15L);
            Image image = recipe.augmentation().apply(train.images().get(index), random);
            preprocessing.apply(image, input, i * size);
            labels[i] = train.labels()[index];
        });
    }

    private static Map<String, float[]> snapshot(Network network) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        network.parameters().forEach((name, parameter) -> copy.put(name, parameter.values().clone()));
        return copy;
    }
}
