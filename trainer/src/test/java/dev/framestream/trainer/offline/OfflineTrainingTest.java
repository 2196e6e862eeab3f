package dev.framestream.trainer.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.engine.Network;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.media.Dataset;
import dev.framestream.media.ImageFolder;
import dev.framestream.media.Shapes;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.model.Preprocessing;
import dev.framestream.model.TrainingSummary;
import dev.framestream.trainer.data.Augmentation;

/**
 * End to end on data the test draws: circles, squares and triangles of random size and place on
 * noise, written as PNG files into class folders, read back through OpenCV, trained for a few
 * epochs, saved as a model file and loaded again.
 */
class OfflineTrainingTest {
    private static final List<String> SHAPES = Shapes.CLASSES;

    @Test
    void learnsDrawnShapesFromAnImageFolderFarAboveChance(@TempDir Path dir) throws IOException {
        Shapes.writeFolder(dir, 240, 28, 3);
        Dataset all = ImageFolder.read(dir).dataset().requireTrainable();
        assertEquals(SHAPES, all.classNames());
        Dataset[] split = all.split(0.2, 7);
        Network network = Network.build("in 1x28x28 | conv 8 5x5 | relu | maxpool 2 | conv 16 5x5 | relu | maxpool 2"
                + " | flatten | fc 32 | relu | fc 3 | softmax");
        network.initialise(1);
        Model start = new Model("shapes", 1, OptionalLong.empty(), Instant.now(), network, SHAPES,
                Preprocessing.unitScale(network.inputShape()), TrainingSummary.none());
        Recipe recipe = Recipe.builder().epochs(6).weightDecay(1e-4).augmentation(new Augmentation(1, 5, 0.05, false)).patience(0)
                .seed(3).build();
        OfflineTraining.Result result;
        try (WorkerPool pool = new WorkerPool(2)) {
            result = new OfflineTraining(pool, recipe, new TrainingListener() { }).run(start, false, split[0], split[1]);
            List<EpochReport> epochs = result.epochs();
            assertEquals(6, epochs.size());
            assertTrue(epochs.get(5).trainLoss() < epochs.get(0).trainLoss() / 2,
                    "training loss fell only from " + epochs.get(0).trainLoss() + " to " + epochs.get(5).trainLoss());
            Model model = result.model();
            assertTrue(model.summary().validationAccuracy() > 0.9, "validation accuracy " + model.summary().validationAccuracy()
                    + " on three classes (chance 0.33)");
            assertEquals(model.summary().examplesSeen(), 6L * split[0].size());

            Path file = dir.resolve("shapes.fsm");
            ModelFile.save(model, file);
            Model loaded = ModelFile.load(file);
            assertEquals(model.preprocessing(), loaded.preprocessing());
            Evaluation again = Evaluation.of(loaded.network(), pool, split[1], loaded.preprocessing());
            assertEquals(model.summary().validationAccuracy(), again.accuracy(), 1e-12, "the loaded model classifies as the trained one");
        }
    }

    /**
     * 33 examples in batches of 16 leave a last batch of one, too few for a batch norm after the
     * global average: each epoch trains on the two full batches and leaves the one out.
     */
    @Test
    void aLastBatchTooSmallForTheBatchNormsIsLeftOut(@TempDir Path dir) throws IOException {
        Shapes.writeFolder(dir, 11, 16, 5);
        Dataset all = ImageFolder.read(dir).dataset().requireTrainable();
        assertEquals(33, all.size());
        Network network = Network.build("in 1x16x16 | conv 4 3x3 | batchnorm | relu | globalavgpool | flatten | batchnorm | fc 3 | softmax");
        network.initialise(1);
        Model start = new Model("norms", 1, OptionalLong.empty(), Instant.now(), network, SHAPES,
                Preprocessing.unitScale(network.inputShape()), TrainingSummary.none());
        Recipe recipe = Recipe.builder().epochs(2).batch(16).patience(0).seed(3).build();
        try (WorkerPool pool = new WorkerPool(2)) {
            OfflineTraining.Result result = new OfflineTraining(pool, recipe, new TrainingListener() { }).run(start, false, all, all);
            assertEquals(2 * 32L, result.model().summary().examplesSeen());
        }
    }
}
