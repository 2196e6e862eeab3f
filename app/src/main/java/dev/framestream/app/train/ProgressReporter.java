package dev.framestream.app.train;

import java.io.PrintStream;
import java.util.List;

import dev.framestream.engine.training.StepResult;
import dev.framestream.trainer.offline.EpochReport;
import dev.framestream.trainer.offline.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch (loss, accuracy, examples/s, ETA) and a line per finished epoch. */
final class ProgressReporter implements TrainingListener {
    private final PrintStream out;
    private final int batch;
    private ProgressBar bar;
    private long epochStart;

    ProgressReporter(PrintStream out, int batch) {
        this.out = out;
        this.batch = batch;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        epochStart = System.nanoTime();
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %d/%d", epoch, epochs))
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
                .build();
    }

    @Override
    public void stepDone(int step, StepResult result, double runningLoss, double runningAccuracy, double learningRate) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        bar.stepTo(step);
        bar.setExtraMessage(String.format(" loss %.4f  acc %.2f%%  %.0f ex/s", runningLoss, 100 * runningAccuracy,
                step * (double) batch / Math.max(seconds, 1e-9)));
    }

    @Override
    public void epochDone(EpochReport report) {
        bar.close();
        out.printf("epoch %d: train loss %.4f acc %.2f%% | validation loss %.4f acc %.2f%% | %.0f ex/s, %.1f s%s%n",
                report.epoch(), report.trainLoss(), 100 * report.trainAccuracy(), report.validationLoss(),
                100 * report.validationAccuracy(), report.examplesPerSecond(), report.seconds(), report.best() ? "  (best so far)" : "");
    }

    /** The table of all epochs, printed at the end. */
    static void summary(PrintStream out, List<EpochReport> reports) {
        out.printf("%n%5s %11s %10s %11s %10s %10s %8s %10s%n", "epoch", "train loss", "train acc", "valid loss", "valid acc",
                "ex/s", "seconds", "lr (end)");
        for (EpochReport r : reports) {
            out.printf("%5d %11.4f %9.2f%% %11.4f %9.2f%% %10.0f %8.1f %10.2e%s%n", r.epoch(), r.trainLoss(), 100 * r.trainAccuracy(),
                    r.validationLoss(), 100 * r.validationAccuracy(), r.examplesPerSecond(), r.seconds(), r.learningRate(),
                    r.best() ? "  *" : "");
        }
    }
}
