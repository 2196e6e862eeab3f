package dev.framestream.app.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.model.Model;
import dev.framestream.schemas.LabelProbability;

/**
 * Replays a source through one model, or two side by side on the very same frames, in batches;
 * with two it also collects the frames on which their top labels differ.
 */
final class Replay {
    /** The report lists at most this many disagreements; it counts them all. */
    static final int DISAGREEMENTS_KEPT = 10_000;
    private static final java.time.Duration WARM_UP = java.time.Duration.ofMillis(500);

    /** A frame both models took and labelled differently. */
    record Disagreement(String frame, String truth, String first, String second) {
    }

    /**
     * @param both            frames both models classified
     * @param onlyFirstRight  of the frames with a truth, those only the first model got right
     */
    record Comparison(long both, long agree, long bothRight, long onlyFirstRight, long onlySecondRight, long disagreementsTotal,
                      List<Disagreement> disagreements) {
    }

    record Result(String source, long frames, Map<String, Long> skipped, List<Scores> scores, List<Scores.Timing> timings,
                  Comparison comparison) {
    }

    private Replay() {
    }

    /** @param progress told the frames replayed so far after each batch */
    static Result run(ReplaySource source, List<Model> models, int batch, int topK, WorkerPool pool, LongConsumer progress) {
        List<ModelRun> runs = new ArrayList<>();
        List<ScoreKeeper> keepers = new ArrayList<>();
        for (Model model : models) {
            runs.add(new ModelRun(model, pool, batch, topK));
            keepers.add(new ScoreKeeper(model, topK));
        }
        runs.forEach(run -> run.warmUp(WARM_UP));
        long[] tally = new long[5];      // both, agree, both right, only first right, only second right
        List<Disagreement> disagreements = new ArrayList<>();
        long disagreementsTotal = 0;
        long frames = 0;
        List<Sample> samples = new ArrayList<>(batch);
        while (true) {
            samples.clear();
            while (samples.size() < batch) {
                Optional<Sample> next = source.next();
                if (next.isEmpty()) {
                    break;
                }
                samples.add(next.get());
            }
            if (samples.isEmpty()) {
                break;
            }
            List<List<List<LabelProbability>>> outputs = new ArrayList<>();
            for (int m = 0; m < runs.size(); m++) {
                List<List<LabelProbability>> tops = runs.get(m).classify(samples);
                outputs.add(tops);
                for (int i = 0; i < samples.size(); i++) {
                    keepers.get(m).add(samples.get(i).truth(), tops.get(i));
                }
            }
            if (runs.size() == 2) {
                for (int i = 0; i < samples.size(); i++) {
                    List<LabelProbability> first = outputs.get(0).get(i);
                    List<LabelProbability> second = outputs.get(1).get(i);
                    if (first == null || second == null) {
                        continue;
                    }
                    String truth = samples.get(i).truth();
                    String a = first.get(0).getLabel();
                    String b = second.get(0).getLabel();
                    tally[0]++;
                    if (a.equals(b)) {
                        tally[1]++;
                    } else if (disagreementsTotal++ < DISAGREEMENTS_KEPT) {
                        disagreements.add(new Disagreement(samples.get(i).id(), truth, a, b));
                    }
                    if (truth != null) {
                        tally[2] += a.equals(truth) && b.equals(truth) ? 1 : 0;
                        tally[3] += a.equals(truth) && !b.equals(truth) ? 1 : 0;
                        tally[4] += !a.equals(truth) && b.equals(truth) ? 1 : 0;
                    }
                }
            }
            frames += samples.size();
            progress.accept(frames);
        }
        List<Scores> scores = new ArrayList<>();
        List<Scores.Timing> timings = new ArrayList<>();
        for (int m = 0; m < runs.size(); m++) {
            scores.add(keepers.get(m).scores(runs.get(m).refused()));
            timings.add(runs.get(m).timing(batch));
        }
        Comparison comparison = runs.size() < 2 ? null
                : new Comparison(tally[0], tally[1], tally[2], tally[3], tally[4], disagreementsTotal, disagreements);
        return new Result(source.description(), frames, source.skipped(), scores, timings, comparison);
    }
}
