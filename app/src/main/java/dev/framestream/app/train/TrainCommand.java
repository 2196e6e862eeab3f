package dev.framestream.app.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.framestream.cli.BatchOption;
import dev.framestream.cli.DataOptions;
import dev.framestream.cli.EngineThreadsOption;
import dev.framestream.cli.InputOption;
import dev.framestream.cli.SeedOption;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.training.LearningRateSchedule;
import dev.framestream.engine.training.OptimizerKind;
import dev.framestream.media.Dataset;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.model.Preprocessing;
import dev.framestream.trainer.data.Augmentation;
import dev.framestream.trainer.offline.Evaluation;
import dev.framestream.trainer.offline.OfflineTraining;
import dev.framestream.trainer.offline.Recipe;
import dev.framestream.trainer.online.OnlineRecipe;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code framestream train}: trains a model offline on files and writes the best epoch's model
 * file, or with {@code --online} learns from {@code frames.labelled} and publishes versions.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
                "Train a model on an image folder (one sub-folder per class), IDX files (MNIST, Fashion-MNIST) or a grid "
                        + "image (OpenCV's digits.png), and write the epoch with the lowest validation loss as a model file.",
                "The defaults are a tested recipe: AdamW, cosine schedule, weight decay, shifts, normalised input.",
                "",
                "Examples:",
                "  framestream train --data /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \\",
                "      --test-data /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --out fashion.fsm",
                "  framestream train --data /usr/share/doc/opencv-doc/examples/data/digits.png --cell 20x20 --rows-per-label 5",
                "  framestream train --net CAMERA --data photos/ --flip --out camera.fsm",
                "",
                "With --online it learns from Kafka instead: it consumes frames.labelled, trains in mini-batches that mix fresh and"
                        + " replayed frames, and every --publish-every-steps or --publish-every-seconds publishes a version to"
                        + " model.weights if it is at least as accurate on held-out frames as the last one (--gate). A restart"
                        + " resumes from the latest version and the offsets committed with it. A frame labelled with a class the"
                        + " model does not know goes to frames.dlq (UNKNOWN_LABEL).",
                "  framestream train --online --bootstrap 127.0.0.1:9092 --net DIGITS --name digits --metrics-port 9402",
                "  framestream train --online --from-model digits.fsm --lr 0.0005",
                ""
        })
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--online", defaultValue = "${env:FRAMESTREAM_ONLINE:-false}", description = "Learn from the labelled frames on Kafka and publish versions (see above) instead of"
            + " training on files.")
    private boolean online;

    @Mixin
    private OnlineOptions onlineOptions;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "PATH", defaultValue = "${env:FRAMESTREAM_DATA}",
            description = "Training images: a folder of class sub-folders, an IDX images file (gzipped or not) or a grid image.")
    private Path data;

    @Option(names = "--labels", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_LABELS}", description = "IDX labels file (default: the images file's name with labels-idx1).")
    private Path labels;

    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "${env:FRAMESTREAM_VALIDATION:-0.1}",
            description = "Fraction of --data held out (seeded) to pick the best epoch and stop early; 0 trains on all of it"
                    + " and keeps the last epoch (default: ${DEFAULT-VALUE}).")
    private double validation;

    @Option(names = "--validation-data", paramLabel = "PATH", defaultValue = "${env:FRAMESTREAM_VALIDATION_DATA}",
            description = "Validate on these images instead of a fraction of --data.")
    private Path validationData;

    @Option(names = "--test-data", paramLabel = "PATH", defaultValue = "${env:FRAMESTREAM_TEST_DATA}",
            description = "Images never used in training nor for choosing the epoch; the final model's accuracy on them is reported.")
    private Path testData;

    @Option(names = "--net", paramLabel = "NET", defaultValue = "${env:FRAMESTREAM_NET:-DIGITS}",
            description = "DIGITS, CAMERA, a named net (RESNET18, MOBILENETV2, SQUEEZENET11, RESNET8, LENET5, optionally with \"in CxHxW classes N\"; its classes default to the data's) or an architecture spec in quotes (default: ${DEFAULT-VALUE}). Ignored with --from-model.")
    private String net;

    @Mixin
    private final InputOption input = new InputOption();

    @Option(names = "--from-model", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_FROM_MODEL}", description = "Continue training this model file (its version + 1 is written). Online: the starting point when"
                    + " the weights topic has no version of the model yet.")
    private Path fromModel;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_OUT:-model.fsm}",
            description = "Where to write the model file (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "${env:FRAMESTREAM_NAME}", description = "Model name (default: the --out file name without extension; online: the --from-model's name, or"
                    + " digits / camera / model after --net). Online, it is the key on the weights topic.")
    private String name;

    @Option(names = "--class-names", split = ",", paramLabel = "NAME",
            description = "Names of the classes of IDX or grid data, in label order (default: digits, or Fashion-MNIST's names)."
                    + " Online: the truth labels of the frames, in output order (default: 0 to 9 for ten outputs).")
    private List<String> classNames = List.of();

    @Option(names = "--cell", paramLabel = "WxH", defaultValue = "${env:FRAMESTREAM_CELL:-20x20}",
            description = "Grid image: the size of one cell in pixels (default: ${DEFAULT-VALUE}).")
    private String cell;

    @Option(names = "--rows-per-label", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_ROWS_PER_LABEL:-5}",
            description = "Grid image: rows of cells per label, labels counting from 0 down the sheet (default: ${DEFAULT-VALUE}).")
    private int rowsPerLabel;

    @Option(names = "--border", paramLabel = "PX", defaultValue = "${env:FRAMESTREAM_BORDER:-0}",
            description = "Preprocessing: resize images to the network input less PX on every side and centre them in a black"
                    + " margin, as MNIST centres 20x20 digits in 28x28 (default: ${DEFAULT-VALUE}).")
    private int border;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_EPOCHS:-10}", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Mixin
    private final BatchOption batchSize = new BatchOption(32);

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "${env:FRAMESTREAM_OPTIMIZER:-adamw}",
            description = "sgd, nesterov, adam or adamw (default: ${DEFAULT-VALUE}).")
    private OptimizerKind optimizer;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "${env:FRAMESTREAM_LR:-0.003}", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "${env:FRAMESTREAM_MOMENTUM:-0.9}", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    private double momentum;

    @Option(names = "--weight-decay", paramLabel = "L2", defaultValue = "${env:FRAMESTREAM_WEIGHT_DECAY:-auto}",
            description = "Weight decay of weights, not biases: decoupled for adamw, L2 for sgd, nesterov and adam; "
                    + "auto = 0.05 for adamw, 0.0005 for the others (default: ${DEFAULT-VALUE}).")
    private String weightDecay;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "${env:FRAMESTREAM_SCHEDULE:-cosine}",
            description = "Learning-rate schedule: constant, step or cosine (default: ${DEFAULT-VALUE}).")
    private LearningRateSchedule.Kind schedule;

    @Option(names = "--warmup-epochs", paramLabel = "E", defaultValue = "${env:FRAMESTREAM_WARMUP_EPOCHS:-0.5}",
            description = "Linear warm-up before the schedule, in epochs (default: ${DEFAULT-VALUE}).")
    private double warmupEpochs;

    @Option(names = "--step-epochs", paramLabel = "E", defaultValue = "${env:FRAMESTREAM_STEP_EPOCHS:-3}",
            description = "Step schedule: epochs between decays (default: ${DEFAULT-VALUE}).")
    private double stepEpochs;

    @Option(names = "--gamma", paramLabel = "G", defaultValue = "${env:FRAMESTREAM_GAMMA:-0.1}",
            description = "Step schedule: factor of each decay (default: ${DEFAULT-VALUE}).")
    private double gamma;

    @Option(names = "--clip-norm", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_CLIP_NORM:-5}",
            description = "Clip each step's gradient to this global L2 norm; 0 = off (default: ${DEFAULT-VALUE}).")
    private double clipNorm;

    @Option(names = "--label-smoothing", paramLabel = "E", defaultValue = "${env:FRAMESTREAM_LABEL_SMOOTHING:-0.1}",
            description = "Spread this share of each target over all classes (regularises; 0 = plain cross-entropy) (default: ${DEFAULT-VALUE}).")
    private double labelSmoothing;

    @Option(names = "--shift", paramLabel = "PX", defaultValue = "${env:FRAMESTREAM_SHIFT:-2}",
            description = "Augmentation: random shifts of up to PX pixels each way; 0 = off (default: ${DEFAULT-VALUE}).")
    private double shift;

    @Option(names = "--rotate", paramLabel = "DEG", defaultValue = "${env:FRAMESTREAM_ROTATE:-0}",
            description = "Augmentation: random rotations of up to DEG degrees either way; 0 = off (default: ${DEFAULT-VALUE}).")
    private double rotate;

    @Option(names = "--zoom", paramLabel = "FRACTION", defaultValue = "${env:FRAMESTREAM_ZOOM:-0}",
            description = "Augmentation: random scaling by up to FRACTION either way, e.g. 0.1; 0 = off (default: ${DEFAULT-VALUE}).")
    private double zoom;

    @Option(names = "--flip", defaultValue = "${env:FRAMESTREAM_FLIP:-false}",
            description = "Augmentation: mirror half of the images left-right (only for classes that look alike mirrored).")
    private boolean flip;

    @Option(names = "--normalise", negatable = true, defaultValue = "${env:FRAMESTREAM_NORMALISE:-true}", fallbackValue = "true",
            description = "Fit the input's per-channel mean and std to the training images (default: ${DEFAULT-VALUE}).")
    private boolean normalise;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_PATIENCE:-3}",
            description = "Stop after N epochs without a lower validation loss; 0 = never (default: ${DEFAULT-VALUE}).")
    private int patience;

    @Mixin
    private final EngineThreadsOption engineThreads = new EngineThreadsOption();

    @Mixin
    private final SeedOption seedOption = new SeedOption();

    @Override
    public Integer call() throws Exception {
        net = input.applyTo(net);
        if (online) {
            return trainOnline();
        }
        if (data == null) {
            throw new IllegalArgumentException("--data is required: the images to train on (or --online to learn from Kafka)");
        }
        long began = System.nanoTime();
        DataOptions options = new DataOptions(cell, rowsPerLabel, classNames);
        Dataset all = options.open(data, labels).requireTrainable();
        Dataset train;
        Dataset held;
        if (validationData != null) {
            train = all;
            held = options.open(validationData, null);
        } else if (validation == 0) {
            train = all;
            held = all.subset(new int[0], "no validation");
        } else {
            Dataset[] split = all.split(validation, seedOption.value());
            train = split[0];
            held = split[1];
        }
        Model start = startingModel(train);
        System.out.printf("framestream train: %d training and %d validation images of %d classes from %s%n", train.size(), held.size(),
                train.classNames().size(), data);
        System.out.printf("  model %s: %s%n", start.name(), start.network().spec());
        Recipe recipe = Recipe.builder()
                .epochs(epochs)
                .batch(batchSize.size())
                .optimizer(optimizer)
                .learningRate(learningRate)
                .momentum(momentum)
                .weightDecay(weightDecay())
                .schedule(schedule)
                .warmupEpochs(warmupEpochs)
                .stepEpochs(stepEpochs)
                .gamma(gamma)
                .clipNorm(clipNorm)
                .labelSmoothing(labelSmoothing)
                .augmentation(new Augmentation(shift, rotate, zoom, flip))
                .patience(patience)
                .normalise(normalise)
                .seed(seedOption.value())
                .build();
        System.out.printf("  recipe: %s%n", recipe);
        int poolThreads = engineThreads.poolSize();
        try (WorkerPool pool = new WorkerPool(poolThreads)) {
            OfflineTraining.Result result = new OfflineTraining(pool, recipe, new ProgressReporter(System.out, batchSize.size()))
                    .run(start, fromModel != null, train, held);
            ProgressReporter.summary(System.out, result.epochs());
            if (result.stoppedEarly()) {
                System.out.printf("stopped early: no lower validation loss for %d epochs%n", patience);
            }
            Model model = result.model();
            ModelFile.save(model, out);
            String validated = Double.isNaN(model.summary().validationAccuracy()) ? "no validation"
                    : String.format("validation accuracy %.2f%% (loss %.4f)", 100 * model.summary().validationAccuracy(),
                    model.summary().validationLoss());
            System.out.printf("%nwrote %s: %s v%d, %s, %.1f s of training%n", out, model.name(), model.version(), validated, result.seconds());
            if (testData != null) {
                Dataset test = options.open(testData, null);
                Evaluation score = Evaluation.of(model.network(), pool, test, model.preprocessing());
                System.out.printf("test accuracy %.2f%% (loss %.4f) on %d images of %s%n", 100 * score.accuracy(), score.loss(),
                        score.examples(), testData);
            }
        }
        System.out.printf("wall time %.1f s%n", (System.nanoTime() - began) / 1e9);
        return 0;
    }

    /** Offline flags that mean nothing to a stream: refused rather than silently ignored. */
    private static final List<String> OFFLINE_ONLY = List.of("--data", "--labels", "--validation", "--validation-data", "--test-data",
            "--out", "--cell", "--rows-per-label", "--epochs", "--schedule", "--warmup-epochs", "--step-epochs", "--gamma", "--patience",
            "--normalise");

    private int trainOnline() throws Exception {
        for (String flag : OFFLINE_ONLY) {
            if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                throw new IllegalArgumentException(flag + " is for training on files; --online learns from " + onlineOptions.labelledTopic);
            }
        }
        boolean fromFile = fromModel != null;
        Model initial = fromFile ? ModelFile.load(fromModel) : freshOnlineModel();
        if (fromFile && name != null) {
            initial = initial.named(name);
        }
        OnlineRecipe recipe = OnlineRecipe.builder()
                .optimizer(optimizer)
                .learningRate(learningRate)
                .momentum(momentum)
                .weightDecay(weightDecay())
                .clipNorm(clipNorm)
                .labelSmoothing(labelSmoothing)
                .augmentation(new Augmentation(shift, rotate, zoom, flip))
                .seed(seedOption.value())
                .build();
        System.out.printf("framestream train --online: model %s (%s), classes %s%n  recipe: %s%n", initial.name(), initial.network().spec(),
                initial.classNames(), recipe);
        return new OnlineRun(onlineOptions, System.out).run(initial, fromFile, onlineOptions.settings(batchSize.size(), recipe),
                engineThreads.poolSize());
    }

    /** Fresh weights for --net, with --class-names (digits by default for ten outputs) and a name from --name or the net. */
    private Model freshOnlineModel() {
        Network network = Network.build(ArchitectureSpec.of(net), Kernels.best());
        int outputs = network.outputShape().size();
        List<String> classes = classNames;
        if (classes.isEmpty()) {
            if (outputs != 10) {
                throw new IllegalArgumentException("the network " + net + " has " + outputs + " outputs: name them with --class-names, in"
                        + " output order, as the frames' truth labels spell them");
            }
            classes = Model.numberedClasses(10);
        }
        if (classes.size() != outputs) {
            throw new IllegalArgumentException("--class-names gives " + classes.size() + " names but the network " + net + " has " + outputs
                    + " outputs");
        }
        network.initialise(seedOption.value());
        String modelName = name != null ? name : net.matches("(?i)digits|camera") ? net.toLowerCase(java.util.Locale.ROOT) : "model";
        return Model.untrained(modelName, network, classes, border);
    }

    /** --weight-decay, or auto: the optimiser's own default (decoupled decay needs a hundred times the L2 coefficient). */
    private double weightDecay() {
        if (weightDecay.equalsIgnoreCase("auto")) {
            return optimizer.defaultWeightDecay();
        }
        try {
            return Double.parseDouble(weightDecay);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--weight-decay must be a number or auto, got \"" + weightDecay + "\"", e);
        }
    }

    private Model startingModel(Dataset train) throws IOException {
        if (fromModel != null) {
            Model model = ModelFile.load(fromModel);
            if (!model.classNames().equals(train.classNames())) {
                throw new IllegalArgumentException("the model " + fromModel + " knows classes " + model.classNames()
                        + " but the data has " + train.classNames() + "; train a new model instead of --from-model");
            }
            return model;
        }
        Network network = Network.build(ArchitectureSpec.of(net, train.classNames().size()), Kernels.best());
        if (network.outputShape().size() != train.classNames().size()) {
            throw new IllegalArgumentException("the network " + net + " has " + network.outputShape().size() + " outputs but the data has "
                    + train.classNames().size() + " classes " + train.classNames() + "; end the spec with fc " + train.classNames().size());
        }
        network.initialise(seedOption.value());
        String modelName = name != null ? name : out.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return Model.untrained(modelName, network, train.classNames(), border);
    }
}
