package dev.framestream.app.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's console: a block of lines redrawn in place on a terminal (ANSI cursor-up and
 * erase-line), or printed whole every few seconds when the output is a file or a pipe. Rates are
 * over the time since the previous block.
 */
final class StatusBlock {
    private final PrintWriter out;
    private final boolean inPlace;
    private final String heading;
    private int linesShown;
    private long lastAt = -1;
    private long lastPublished;
    private long lastClassified;

    StatusBlock(PrintWriter out, boolean inPlace, String heading) {
        this.out = out;
        this.inPlace = inPlace;
        this.heading = heading;
    }

    boolean inPlace() {
        return inPlace;
    }

    void show(Demo.Status status) {
        List<String> lines = lines(status);
        StringBuilder text = new StringBuilder();
        if (inPlace && linesShown > 0) {
            text.append("\u001b[").append(linesShown).append('F');     // back to the first line of the last block
        }
        for (String line : lines) {
            text.append(line).append(inPlace ? "\u001b[K" : "").append(System.lineSeparator());
        }
        if (!inPlace) {
            text.append(System.lineSeparator());
        }
        out.print(text);
        out.flush();
        linesShown = lines.size();
    }

    private List<String> lines(Demo.Status s) {
        double seconds = lastAt < 0 ? s.elapsedMillis() / 1e3 : Math.max(1e-3, (s.elapsedMillis() - lastAt) / 1e3);
        double in = (s.framesPublished() - lastPublished) / seconds;
        double outRate = (s.results().classified() - lastClassified) / seconds;
        lastAt = s.elapsedMillis();
        lastPublished = s.framesPublished();
        lastClassified = s.results().classified();
        ResultWatcher.Snapshot r = s.results();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s  [%s]", heading, clock(s.elapsedMillis())));
        lines.add(String.format("  frames     %6.1f/s in, %6.1f/s classified   (%,d published, %,d classified)", in, outRate,
                s.framesPublished(), r.classified()));
        lines.add(String.format("  model      serving v%d (%.0f swap%s); trainer at step %,d, %d version%s published, %d kept back by the gate%s",
                s.servingVersion(), s.swaps(), s.swaps() == 1 ? "" : "s", s.trainerSteps(), s.versionsPublished(),
                s.versionsPublished() == 1 ? "" : "s", s.versionsRejected(),
                Double.isNaN(s.validationAccuracy()) ? "" : String.format(", held-out accuracy %.1f %%", 100 * s.validationAccuracy())));
        lines.add(Double.isNaN(r.accuracy()) ? "  accuracy   no classified frame with a truth yet"
                : String.format("  accuracy   %5.1f %% of the last %d classified frames with a truth %s", 100 * r.accuracy(), r.scoredInWindow(),
                bar(r.accuracy())));
        lines.add(r.p50Millis() < 0 ? "  latency    no results in the last 10 s"
                : String.format("  latency    capture -> classified p50 %d ms, p99 %d ms (last 10 s)", r.p50Millis(), r.p99Millis()));
        lines.add("  dead       " + deadLetters(s.deadLetters()));
        return lines;
    }

    static String deadLetters(Map<String, Long> byReason) {
        if (byReason.isEmpty()) {
            return "0 dead letters";
        }
        StringBuilder text = new StringBuilder();
        byReason.forEach((reason, count) -> text.append(text.isEmpty() ? "" : ", ").append(String.format("%,d %s", count, reason)));
        return text.toString();
    }

    /** A 20-character bar of a share, so the climb is visible at a glance. */
    private static String bar(double share) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, share)) * 20);
        return "[" + "#".repeat(filled) + ".".repeat(20 - filled) + "]";
    }

    static String clock(long millis) {
        long seconds = millis / 1000;
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
