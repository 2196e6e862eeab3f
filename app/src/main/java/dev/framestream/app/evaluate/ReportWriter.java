package dev.framestream.app.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes a replay's report as {@code report.json} (for tools; every figure but {@code timing} is
 * the same on every run of the same replay) and {@code report.md} (for people), next to the plots.
 */
final class ReportWriter {
    /** The Markdown lists this many disagreements; the JSON lists all that were kept. */
    private static final int DISAGREEMENTS_SHOWN = 50;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    static void write(Replay.Result result, Path dir, List<String> plots) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), JSON.writeValueAsString(json(result)) + "\n");
        Files.writeString(dir.resolve("report.md"), markdown(result, plots));
    }

    static ObjectNode json(Replay.Result result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("source", result.source());
        root.put("frames", result.frames());
        root.set("skipped", counts(result.skipped()));
        ArrayNode models = root.putArray("models");
        for (Scores s : result.scores()) {
            ObjectNode model = models.addObject();
            model.put("name", s.model());
            model.put("version", s.version());
            model.put("sha256", s.sha256());
            model.put("frames", s.frames());
            model.put("scored", s.scored());
            model.put("correct", s.correct());
            number(model, "accuracy", s.accuracy());
            model.put("topK", s.k());
            number(model, "topKAccuracy", s.topKAccuracy());
            model.put("unknownTruth", s.unknownTruth());
            model.set("refused", counts(s.refused()));
            model.set("predicted", counts(s.predicted()));
            ArrayNode classes = model.putArray("perClass");
            for (Scores.ClassScore c : s.perClass()) {
                ObjectNode node = classes.addObject();
                node.put("class", c.name());
                node.put("support", c.support());
                node.put("predicted", c.predicted());
                number(node, "precision", c.precision());
                number(node, "recall", c.recall());
                number(node, "f1", c.f1());
            }
            model.set("classes", JSON.valueToTree(s.classes()));
            model.set("confusion", JSON.valueToTree(s.confusion()));
            ObjectNode curve = model.putObject("accuracyOverReplay");
            curve.put("framesPerPoint", s.bucketFrames());
            curve.set("accuracy", JSON.valueToTree(s.overReplay()));
        }
        Replay.Comparison c = result.comparison();
        if (c != null) {
            ObjectNode comparison = root.putObject("comparison");
            comparison.put("bothClassified", c.both());
            comparison.put("agree", c.agree());
            comparison.put("disagree", c.disagreementsTotal());
            comparison.put("bothRight", c.bothRight());
            comparison.put("onlyFirstRight", c.onlyFirstRight());
            comparison.put("onlySecondRight", c.onlySecondRight());
            comparison.set("disagreements", JSON.valueToTree(c.disagreements()));
        }
        ArrayNode timing = root.putArray("timing");
        for (int m = 0; m < result.timings().size(); m++) {
            Scores.Timing t = result.timings().get(m);
            ObjectNode node = timing.addObject();
            node.put("model", result.scores().get(m).model() + " v" + result.scores().get(m).version());
            node.put("batch", t.batch());
            node.put("batches", t.batches());
            node.put("framesPerSecond", Math.round(t.framesPerSecond() * 10) / 10.0);
            node.put("batchLatencyMsP50", t.p50Millis());
            node.put("batchLatencyMsP90", t.p90Millis());
            node.put("batchLatencyMsP99", t.p99Millis());
        }
        return root;
    }

    static String markdown(Replay.Result result, List<String> plots) {
        StringBuilder md = new StringBuilder();
        List<Scores> scores = result.scores();
        md.append("# Evaluation of ").append(String.join(" and ", scores.stream().map(ReportWriter::title).toList())).append("\n\n");
        md.append("Replayed ").append(String.format("%,d", result.frames())).append(" frames of `").append(result.source()).append("`");
        if (!result.skipped().isEmpty()) {
            md.append("; skipped ").append(result.skipped());
        }
        md.append(".\n\n| | ").append(String.join(" | ", scores.stream().map(ReportWriter::title).toList())).append(" |\n|---|")
                .append("---:|".repeat(scores.size())).append('\n');
        row(md, "frames classified", scores, s -> String.format("%,d", s.frames()));
        row(md, "frames with a known truth", scores, s -> String.format("%,d", s.scored()));
        row(md, "accuracy", scores, s -> percent(s.accuracy()));
        row(md, "top-k accuracy", scores, s -> "top-" + s.k() + ": " + percent(s.topKAccuracy()));
        row(md, "macro F1", scores, s -> percent(s.perClass().stream().mapToDouble(Scores.ClassScore::f1).filter(Double::isFinite).average()
                .orElse(Double.NaN)));
        row(md, "truth not among the classes", scores, s -> String.format("%,d", s.unknownTruth()));
        row(md, "labels given most", scores, ReportWriter::mostPredicted);
        row(md, "frames refused", scores, s -> s.refused().isEmpty() ? "0" : s.refused().toString());
        for (int m = 0; m < scores.size(); m++) {
            Scores.Timing t = result.timings().get(m);
            md.append(m == 0 ? "| speed (batch " + t.batch() + ") |" : "").append(String.format(" %,.0f frames/s, batch p50 %.1f ms, p99 %.1f ms |",
                    t.framesPerSecond(), t.p50Millis(), t.p99Millis()));
        }
        md.append("\n\nSpeed is this machine's at the time; every other figure is the same on every run of the same replay.\n");
        Replay.Comparison c = result.comparison();
        if (c != null) {
            md.append("\n## Side by side\n\nOn the ").append(String.format("%,d", c.both())).append(" frames both classified they agree on ")
                    .append(String.format("%,d (%s)", c.agree(), percent(c.both() == 0 ? Double.NaN : (double) c.agree() / c.both())))
                    .append(". With a truth: both right ").append(String.format("%,d", c.bothRight())).append(", only ")
                    .append(title(scores.get(0))).append(" right ").append(String.format("%,d", c.onlyFirstRight())).append(", only ")
                    .append(title(scores.get(1))).append(" right ").append(String.format("%,d", c.onlySecondRight())).append(".\n\n");
            md.append("| frame | truth | ").append(title(scores.get(0))).append(" | ").append(title(scores.get(1))).append(" |\n|---|---|---|---|\n");
            c.disagreements().stream().limit(DISAGREEMENTS_SHOWN).forEach(d -> md.append("| `").append(d.frame()).append("` | ")
                    .append(d.truth() == null ? "" : d.truth()).append(" | ").append(d.first()).append(" | ").append(d.second()).append(" |\n"));
            if (c.disagreementsTotal() > DISAGREEMENTS_SHOWN) {
                md.append("\n").append(String.format("%,d", c.disagreementsTotal() - DISAGREEMENTS_SHOWN))
                        .append(" more in report.json").append(c.disagreementsTotal() > Replay.DISAGREEMENTS_KEPT
                                ? " (which keeps the first " + Replay.DISAGREEMENTS_KEPT + ")" : "").append(".\n");
            }
        }
        for (Scores s : scores) {
            if (s.scored() == 0) {
                continue;       // no truth: precision, recall and confusion have nothing to say
            }
            md.append("\n## ").append(title(s)).append(" per class\n\n| class | support | predicted | precision | recall | F1 |\n")
                    .append("|---|---:|---:|---:|---:|---:|\n");
            for (Scores.ClassScore k : s.perClass()) {
                md.append(String.format("| %s | %,d | %,d | %s | %s | %s |%n", k.name(), k.support(), k.predicted(), percent(k.precision()),
                        percent(k.recall()), percent(k.f1())));
            }
            md.append("\nConfusion matrix (rows: truth, columns: predicted):\n\n| |")
                    .append(String.join("|", s.classes())).append("|\n|---|").append("---:|".repeat(s.classes().size())).append('\n');
            for (int r = 0; r < s.classes().size(); r++) {
                md.append("| **").append(s.classes().get(r)).append("** |");
                for (long count : s.confusion()[r]) {
                    md.append(count).append('|');
                }
                md.append('\n');
            }
        }
        if (!plots.isEmpty()) {
            md.append("\n## Plots\n\n");
            plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n\n"));
        }
        return md.toString();
    }

    /** The three labels the model gave most, with their counts: what a replay without truth tells. */
    private static String mostPredicted(Scores s) {
        return String.join(", ", s.predicted().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(3).map(e -> String.format("%s (%,d)", e.getKey(), e.getValue())).toList());
    }

    static String title(Scores s) {
        return s.model() + " v" + s.version();
    }

    private static void row(StringBuilder md, String name, List<Scores> scores, java.util.function.Function<Scores, String> cell) {
        md.append("| ").append(name).append(" |");
        scores.forEach(s -> md.append(' ').append(cell.apply(s)).append(" |"));
        md.append('\n');
    }

    static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format("%.2f %%", 100 * share);
    }

    private static ObjectNode counts(Map<String, Long> counts) {
        ObjectNode node = JSON.createObjectNode();
        counts.forEach(node::put);
        return node;
    }

    /** JSON has no NaN: a ratio with nothing to divide by is null. */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
