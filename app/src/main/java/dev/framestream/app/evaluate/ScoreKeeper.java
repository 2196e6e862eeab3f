package dev.framestream.app.evaluate;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.LabelProbability;

/** Tallies one model's predictions frame by frame, then makes its {@link Scores}. */
final class ScoreKeeper {
    /** The accuracy-over-replay curve has about this many points. */
    private static final int POINTS = 100;

    private final Model model;
    private final List<String> classes;
    private final int k;
    private final long[][] confusion;
    private final BitSet hits = new BitSet();
    private final Map<String, Long> predicted = new TreeMap<>();
    private long frames;
    private long scored;
    private long topKCorrect;
    private long unknownTruth;

    ScoreKeeper(Model model, int k) {
        this.model = model;
        this.classes = model.classNames();
        this.k = Math.min(k, classes.size());
        this.confusion = new long[classes.size()][classes.size()];
    }

    /** One frame: its truth (or null) and the model's top-k labels (or null when the model could not take it). */
    void add(String truth, List<LabelProbability> top) {
        if (top == null) {
            return;
        }
        frames++;
        String label = top.get(0).getLabel();
        predicted.merge(label, 1L, Long::sum);
        if (truth == null) {
            return;
        }
        int actual = classes.indexOf(truth);
        if (actual < 0) {
            unknownTruth++;
            return;
        }
        confusion[actual][classes.indexOf(label)]++;
        hits.set((int) scored, label.equals(truth));
        scored++;
        topKCorrect += top.stream().anyMatch(p -> p.getLabel().equals(truth)) ? 1 : 0;
    }

    Scores scores(Map<String, Long> refused) {
        long correct = 0;
        List<Scores.ClassScore> perClass = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            long support = 0;
            long predictedAs = 0;
            for (int other = 0; other < classes.size(); other++) {
                support += confusion[c][other];
                predictedAs += confusion[other][c];
            }
            long truePositives = confusion[c][c];
            correct += truePositives;
            double precision = predictedAs == 0 ? Double.NaN : (double) truePositives / predictedAs;
            double recall = support == 0 ? Double.NaN : (double) truePositives / support;
            double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : Double.NaN;
            perClass.add(new Scores.ClassScore(classes.get(c), support, predictedAs, precision, recall, f1));
        }
        int bucket = (int) Math.max(1, (scored + POINTS - 1) / POINTS);
        double[] overReplay = new double[(int) ((scored + bucket - 1) / bucket)];
        for (int b = 0; b < overReplay.length; b++) {
            int from = b * bucket;
            int to = (int) Math.min(scored, from + (long) bucket);
            overReplay[b] = (double) hits.get(from, to).cardinality() / (to - from);
        }
        return new Scores(model.name(), model.version(), sha256(), classes, frames, scored, correct, k, topKCorrect, unknownTruth, refused,
                confusion, perClass, bucket, overReplay, predicted);
    }

    /** The SHA-256 of the weights, as the model's record and its classifications carry it: which weights exactly. */
    private String sha256() {
        return java.util.HexFormat.of().formatHex(ModelFile.toRecord(model).getSha256().bytes());
    }
}
