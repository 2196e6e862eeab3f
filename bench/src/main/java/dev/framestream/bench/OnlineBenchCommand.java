package dev.framestream.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.framestream.cli.BatchOption;
import dev.framestream.cli.DataOptions;
import dev.framestream.cli.EngineThreadsOption;
import dev.framestream.cli.InputOption;
import dev.framestream.cli.SeedOption;
import dev.framestream.trainer.data.Augmentation;
import dev.framestream.trainer.online.OnlineRecipe;
import dev.framestream.trainer.online.OnlineSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code framestream bench online}: how fast the online trainer learns a stream and how fast it trains while consuming. */
@Command(name = "online", mixinStandardHelpOptions = true,
        description = {
                "Publish a labelled image set, shuffled, to frames.labelled on an embedded broker and run the online trainer on it from"
                        + " random weights. Prints the prequential accuracy (each frame scored just before the trainer learns from it)"
                        + " over the stream, the frames it took to reach --target, and training examples/s while consuming from Kafka"
                        + " against bench train alone in the same run.",
                "",
                "Example: framestream bench online --data /usr/share/doc/opencv-doc/examples/data/digits.png --cell 20x20",
                ""
        })
public final class OnlineBenchCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "PATH", defaultValue = "${env:FRAMESTREAM_DATA:-/usr/share/doc/opencv-doc/examples/data/digits.png}",
            description = "The labelled images: a grid image, IDX images file or class folders (default: ${DEFAULT-VALUE}).")
    private Path data;

    @Option(names = "--cell", paramLabel = "WxH", defaultValue = "${env:FRAMESTREAM_CELL:-20x20}", description = "Grid image cell size (default: ${DEFAULT-VALUE}).")
    private String cell;

    @Option(names = "--rows-per-label", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_ROWS_PER_LABEL:-5}", description = "Grid image rows per label (default: ${DEFAULT-VALUE}).")
    private int rowsPerLabel;

    @Option(names = "--net", paramLabel = "NET", defaultValue = "${env:FRAMESTREAM_NET:-DIGITS}", description = "The network (default: ${DEFAULT-VALUE}).")
    private String net;

    @Mixin
    private final InputOption input = new InputOption();

    @Option(names = "--border", paramLabel = "PX", defaultValue = "${env:FRAMESTREAM_BORDER:-4}",
            description = "Preprocessing margin, as MNIST centres 20x20 digits in 28x28 (default: ${DEFAULT-VALUE}).")
    private int border;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_FRAMES:-5000}", description = "Frames of the stream, at most the set's size (default: ${DEFAULT-VALUE}).")
    private int frames;

    @Option(names = "--target", paramLabel = "FRACTION", defaultValue = "${env:FRAMESTREAM_TARGET:-0.95}",
            description = "The prequential accuracy to reach (default: ${DEFAULT-VALUE}).")
    private double target;

    @Option(names = "--window", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_WINDOW:-500}",
            description = "Fresh frames the prequential accuracy is measured over (default: ${DEFAULT-VALUE}).")
    private int window;

    @Mixin
    private final BatchOption batchSize = new BatchOption(32);

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "${env:FRAMESTREAM_LR:-0.003}", description = "Learning rate, AdamW (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(names = "--shift", paramLabel = "PX", defaultValue = "${env:FRAMESTREAM_SHIFT:-2}", description = "Augmentation shifts (default: ${DEFAULT-VALUE}).")
    private double shift;

    @Mixin
    private final EngineThreadsOption engineThreads = new EngineThreadsOption();

    @Mixin
    private final SeedOption seedOption = new SeedOption();

    @Override
    public Integer call() throws Exception {
        net = input.applyTo(net);
        if (!(target > 0 && target <= 1) || window < 1 || frames < 1) {
            throw new IllegalArgumentException("--target must be in (0, 1], --window and --frames at least 1");
        }
        OnlineRecipe recipe = OnlineRecipe.builder().learningRate(learningRate).augmentation(new Augmentation(shift, 0, 0, false))
                .seed(seedOption.value()).build();
        OnlineSettings online = OnlineSettings.builder().batch(batchSize.size()).recipe(recipe).build();
        return new OnlineBenchmark(new OnlineBenchmark.Settings(new DataOptions(cell, rowsPerLabel, List.of()).open(data, null), net, border,
                frames, target, window, online, engineThreads.poolSize(), seedOption.value())).run(System.out);
    }
}
