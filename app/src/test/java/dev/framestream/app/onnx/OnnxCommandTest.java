package dev.framestream.app.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.framestream.app.cli.FailingRun;
import dev.framestream.app.cli.FramestreamCommand;
import dev.framestream.engine.Network;
import dev.framestream.media.PixelFormat;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;

class OnnxCommandTest {

    @TempDir
    Path directory;

    @Test
    void aModelFileGoesToOnnxAndComesBackServable() throws Exception {
        Network network = Network.build("in 3x16x16 | conv 4 3x3 pad 1 | relu | maxpool 2 | flatten | fc 3 | softmax");
        network.initialise(5);
        Path fsm = directory.resolve("colours.fsm");
        ModelFile.save(Model.untrained("colours", network, List.of("red", "green", "blue"), 0), fsm);
        Path onnx = directory.resolve("colours.onnx");

        assertEquals(0, FramestreamCommand.commandLine().execute("onnx", "export", "--model", fsm.toString(), "--out", onnx.toString()));
        ModelProto exported = ModelProto.parseFrom(Files.readAllBytes(onnx));
        assertTrue(exported.getMetadataPropsList().contains(StringStringEntryProto.newBuilder()
                .setKey("framestream.classes").setValue("red,green,blue").build()));

        Path back = directory.resolve("back.fsm");
        assertEquals(0, FramestreamCommand.commandLine().execute("onnx", "import", "--onnx", onnx.toString(), "--out", back.toString(),
                "--classes", "red,green,blue", "--colour", "RGB8", "--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25"));
        Model imported = ModelFile.load(back);
        assertEquals("colours", imported.name());
        assertEquals(1, imported.version());
        assertEquals(List.of("red", "green", "blue"), imported.classNames());
        assertEquals(PixelFormat.RGB8, imported.preprocessing().colour());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, imported.preprocessing().mean());
        assertEquals(network.spec(), imported.network().spec());
        for (String name : network.parameters().keySet()) {
            assertArrayEquals(network.weights(name), imported.network().weights(name), name);
        }
        // Without --classes, the names our export wrote into the file come back.
        Path again = directory.resolve("again.fsm");
        assertEquals(0, FramestreamCommand.commandLine().execute("onnx", "import", "--onnx", onnx.toString(), "--out", again.toString()));
        assertEquals(List.of("red", "green", "blue"), ModelFile.load(again).classNames());
    }

    @Test
    void mistakesGetOneLineErrors() throws Exception {
        Network network = Network.build("DIGITS");
        Path fsm = directory.resolve("digits.fsm");
        ModelFile.save(Model.untrained("digits", network, Model.numberedClasses(10), 0), fsm);
        Path onnx = directory.resolve("digits.onnx");
        assertEquals(0, FramestreamCommand.commandLine().execute("onnx", "export", "--model", fsm.toString(), "--out", onnx.toString()));

        assertTrue(FailingRun.stderr("onnx", "import", "--onnx", onnx.toString(), "--out", directory.resolve("x.fsm").toString(),
                "--classes", "a,b").contains("has 10 outputs; --classes gives 2 names [a, b]"));
        assertTrue(FailingRun.stderr("onnx", "import", "--onnx", onnx.toString(), "--out", directory.resolve("x.fsm").toString(),
                "--colour", "BGR8").contains("--colour BGR8 has 3 channels; " + onnx + " takes 1"));
        Path junk = directory.resolve("junk.onnx");
        Files.writeString(junk, "junk");
        String error = FailingRun.stderr("onnx", "import", "--onnx", junk.toString(), "--out", directory.resolve("x.fsm").toString());
        assertTrue(error.startsWith("framestream onnx import: " + junk + " is not an ONNX model"), error);
        assertTrue(FailingRun.stderr("onnx", "export", "--model", directory.resolve("none.fsm").toString(), "--out", onnx.toString())
                .contains("none.fsm"));
    }
}
