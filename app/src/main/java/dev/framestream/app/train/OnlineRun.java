package dev.framestream.app.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.framestream.app.logging.LogFile;
import dev.framestream.app.metrics.MetricsServer;
import dev.framestream.cli.StopSignal;
import dev.framestream.model.Model;
import dev.framestream.model.WeightsSigning;
import dev.framestream.schemas.TrainingProgress;
import dev.framestream.trainer.online.Checkpoint;
import dev.framestream.trainer.online.OnlineListener;
import dev.framestream.trainer.online.OnlineSettings;
import dev.framestream.trainer.online.OnlineTrainer;
import dev.framestream.trainer.online.OnlineTrainerConfig;

/**
 * {@code framestream train --online}: runs the online trainer until Ctrl-C, printing a line per
 * progress report and per checkpoint. Ctrl-C makes a last checkpoint, so the steps since the last
 * one are judged and their offsets committed, then exits 0; a trainer that stops by itself exits 1.
 */
final class OnlineRun {
    private final OnlineOptions options;
    private final PrintStream out;

    OnlineRun(OnlineOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run(Model initial, boolean initialTrained, OnlineSettings settings, int engineThreads) throws Exception {
        OnlineTrainerConfig config = OnlineTrainerConfig.builder(options.kafka.clientProperties(), initial)
                .settings(settings)
                .initialTrained(initialTrained)
                .engineThreads(engineThreads)
                .signingKey(options.signingKey == null ? null : WeightsSigning.readPrivateKey(options.signingKey))
                .build();
        try (StopSignal interrupted = StopSignal.install("train", Duration.ofSeconds(60));
             MetricsServer metrics = options.metrics.start()) {
            if (metrics.url() != null) {
                out.println("metrics: " + metrics.url());
            }
            LogFile.startLine().ifPresent(out::println);
            OnlineTrainer trainer = OnlineTrainer.start(config, metrics.registry(), new Console(out));
            out.printf("training %s online from %s; versions go to %s; Ctrl-C stops after a last checkpoint%n", initial.name(),
                    settings.labelledTopic(), settings.weightsTopic());
            while (!interrupted.await(200, TimeUnit.MILLISECONDS)) {
                Throwable failure = trainer.awaitStopped(Duration.ZERO);
                if (failure != null) {
                    out.println("the trainer stopped: " + failure.getMessage());
                    return 1;
                }
            }
            trainer.close();
            Throwable failure = trainer.awaitStopped(Duration.ZERO);
            out.printf("stopped at v%d%s%n", trainer.championVersion(), failure == null ? "" : ": " + failure.getMessage());
            return failure == null ? 0 : 1;
        }
    }

    /** One line per progress report and per checkpoint. */
    private static final class Console implements OnlineListener {
        private final PrintStream out;
        private long lastExamples = -1;
        private long lastAt;

        Console(PrintStream out) {
            this.out = out;
        }

        @Override
        public void resumed(long version, long highestVersion, int recordsReadBack) {
            out.printf(version == 0 ? "starting from fresh weights; the first version will be v%2$d%n"
                    : "resuming from v%d (next version v%d), %d earlier frames read back into the replay buffer and hold-out%n",
                    version, highestVersion + 1, recordsReadBack);
        }

        @Override
        public void progress(TrainingProgress p) {
            long now = System.nanoTime();
            double rate = lastExamples < 0 ? 0 : (p.getExamplesSeen() - lastExamples) / Math.max(1e-9, (now - lastAt) / 1e9);
            lastExamples = p.getExamplesSeen();
            lastAt = now;
            out.printf("step %,d  examples %,d (%,.0f/s)  loss %.4f  accuracy %s (test-then-train)  validation %s  serving v%s%n",
                    p.getStep(), p.getExamplesSeen(), rate, p.getLoss(), percent(p.getTrainAccuracy()),
                    p.getValidationAccuracy() == null ? "-" : percent(p.getValidationAccuracy()),
                    p.getModelVersion() == null ? "-" : p.getModelVersion());
        }

        @Override
        public void checkpointed(Checkpoint c) {
            switch (c.outcome()) {
                case PUBLISHED -> out.printf("published v%d: %s%n", c.version(), c.judgement().why());
                case REJECTED -> out.printf("kept v%d, challenger not published: %s%s%n", c.version(), c.judgement().why(),
                        c.reverted() ? "; training goes on from v" + c.version() : "");
                case NOTHING_NEW -> {
                }
            }
        }

        private static String percent(double share) {
            return Double.isNaN(share) ? "-" : String.format("%.2f%%", 100 * share);
        }
    }
}
