package dev.framestream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.media.PixelFormat;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.Sha256;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.WeightTensor;

class ModelFileTest {
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private static Model digits() {
        Network network = Network.build("DIGITS");
        network.initialise(17);
        return new Model("digits", 7, OptionalLong.of(6), Instant.ofEpochMilli(1_700_000_000_123L), network, DIGITS,
                new Preprocessing(28, 28, 4, PixelFormat.GRAY8, 1f / 255, new float[] {0.5f}, new float[] {0.25f}),
                new TrainingSummary(60_000, 10, 0.21, 0.93, 0.25, 0.91, "fashion-mnist", "adamw lr 0.002 cosine",
                        List.of(new OffsetRange("frames.labelled", 0, 100, 2_400), new OffsetRange("frames.labelled", 1, 0, 2_250))));
    }

    @Test
    void aSavedModelLoadsWithEveryFieldAndTheSameWeights(@TempDir Path dir) throws IOException {
        Model model = digits();
        Path file = dir.resolve("models/digits.fsm");
        ModelFile.save(model, file);
        Model loaded = ModelFile.load(file);
        assertEquals(model.name(), loaded.name());
        assertEquals(model.version(), loaded.version());
        assertEquals(model.parentVersion(), loaded.parentVersion());
        assertEquals(model.created(), loaded.created());
        assertEquals(model.classNames(), loaded.classNames());
        assertEquals(model.preprocessing(), loaded.preprocessing());
        assertEquals(model.summary(), loaded.summary());
        assertEquals(model.network().spec(), loaded.network().spec());
        for (String name : model.network().parameters().keySet()) {
            assertArrayEquals(model.network().weights(name), loaded.network().weights(name), name);
        }
    }

    /** A graph with batch norms keeps its wiring and its running averages, which no optimiser trains but inference uses. */
    @Test
    void aResidualNetKeepsItsGraphAndItsRunningAverages(@TempDir Path dir) throws IOException {
        Network network = Network.build("RESNET8 in 1x28x28");
        network.initialise(5);
        float[] variance = network.weights("batchnorm3.running_var");
        java.util.Arrays.fill(variance, 2.5f);
        network.setWeights("batchnorm3.running_var", variance);
        Model model = new Model("r8", 1, OptionalLong.empty(), Instant.ofEpochMilli(1), network, DIGITS,
                Preprocessing.unitScale(network.inputShape()), TrainingSummary.none());
        Path file = dir.resolve("r8.fsm");

        ModelFile.save(model, file);
        Model loaded = ModelFile.load(file);

        assertEquals(network.spec(), loaded.network().spec());
        assertTrue(loaded.network().parameters().containsKey("batchnorm3.running_mean"));
        assertArrayEquals(variance, loaded.network().weights("batchnorm3.running_var"));
    }

    @Test
    void aFlippedBitInTheWeightsFailsTheChecksum(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("digits.fsm");
        ModelFile.save(digits(), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;                  // somewhere inside the tensors
        Files.write(file, bytes);
        InvalidModelException error = assertThrows(InvalidModelException.class, () -> ModelFile.load(file));
        assertEquals(InvalidModelException.Problem.CHECKSUM_MISMATCH, error.problem());
        assertTrue(error.getMessage().contains("SHA-256") && error.getMessage().contains(file.toString()), error.getMessage());
    }

    @Test
    void aTruncatedFileSaysItEndsEarly(@TempDir Path dir) throws IOException {
        byte[] bytes = ModelFile.encode(digits());
        Path file = dir.resolve("cut.fsm");
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1000));
        InvalidModelException error = assertThrows(InvalidModelException.class, () -> ModelFile.load(file));
        assertEquals(InvalidModelException.Problem.UNREADABLE, error.problem());
        assertTrue(error.getMessage().contains("ends early"), error.getMessage());
    }

    @Test
    void aForeignFileSaysItIsNotAModel(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("picture.png");
        Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
        InvalidModelException error = assertThrows(InvalidModelException.class, () -> ModelFile.load(file));
        assertTrue(error.getMessage().contains("not a framestream model") && error.getMessage().contains("magic"), error.getMessage());
    }

    @Test
    void aMissingFileNamesThePath(@TempDir Path dir) {
        IOException error = assertThrows(IOException.class, () -> ModelFile.load(dir.resolve("none.fsm")));
        assertTrue(error.getMessage().contains("none.fsm"), error.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedEvenWithAMatchingChecksum() {
        ModelWeights record = ModelFile.toRecord(digits());
        WeightTensor bias = record.getTensors().get(1);
        ByteBuffer data = ByteBuffer.allocate(bias.getData().remaining()).order(ByteOrder.LITTLE_ENDIAN);
        data.put(bias.getData().duplicate()).putFloat(4, Float.NaN).flip();
        bias.setData(data);
        record.setSha256(new Sha256(ModelFile.sha256(record.getTensors())));
        byte[] bytes = SingleObjectCodec.modelWeights().encode(record);
        InvalidModelException error = assertThrows(InvalidModelException.class, () -> ModelFile.decode(bytes, Kernels.best()));
        assertEquals(InvalidModelException.Problem.NON_FINITE, error.problem());
        assertTrue(error.getMessage().contains("conv1.bias") && error.getMessage().contains("index 1"), error.getMessage());
    }

    @Test
    void tensorsThatDoNotFitTheArchitectureAreNamed() {
        ModelWeights record = ModelFile.toRecord(digits());
        record.setArchitecture(record.getArchitecture().replace("fc 128", "fc 64"));
        byte[] bytes = SingleObjectCodec.modelWeights().encode(record);
        InvalidModelException error = assertThrows(InvalidModelException.class, () -> ModelFile.decode(bytes, Kernels.best()));
        assertEquals(InvalidModelException.Problem.SHAPE_MISMATCH, error.problem());
        assertTrue(error.getMessage().contains("fc1.weight"), error.getMessage());
    }
}
