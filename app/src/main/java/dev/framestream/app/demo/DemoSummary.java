package dev.framestream.app.demo;

import java.io.PrintWriter;

/** What the demo prints when it stops: the totals, and each model version's share of the frames and its accuracy. */
record DemoSummary(Demo.Status status) {

    void print(PrintWriter out) {
        if (status == null) {
            out.println("the demo stopped before its services were up");
            return;
        }
        ResultWatcher.Snapshot results = status.results();
        out.println();
        out.printf("framestream demo ran %s: %,d frames published, %,d classified (%d out of order or repeated), %s%n",
                StatusBlock.clock(status.elapsedMillis()), status.framesPublished(), results.classified(), results.outOfOrder(),
                StatusBlock.deadLetters(status.deadLetters()));
        out.printf("the trainer made %,d steps and published %d version%s (%d kept back by the gate)%n", status.trainerSteps(),
                status.versionsPublished(), status.versionsPublished() == 1 ? "" : "s", status.versionsRejected());
        out.println();
        out.printf("%9s %10s %10s%n", "version", "frames", "accuracy");
        for (ResultWatcher.VersionTally version : results.versions()) {
            out.printf("%9s %,10d %10s%n", "v" + version.version(), version.frames(),
                    Double.isNaN(version.accuracy()) ? "no truth" : String.format("%.1f %%", 100 * version.accuracy()));
        }
        out.println();
        if (Double.isNaN(results.accuracy())) {
            out.println("final accuracy: none (no classified frame had a truth)");
        } else {
            out.printf("final accuracy: %.1f %% over the last %d classified frames with a truth (chance %.1f %%)%n", 100 * results.accuracy(),
                    results.scoredInWindow(), 100.0 / status.classes());
        }
    }
}
