package dev.framestream.app.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.framestream.app.cli.FailingRun;
import dev.framestream.app.cli.FramestreamCommand;
import dev.framestream.model.WeightsSigning;

class KeysCommandTest {

    @Test
    void makesAPairThatSignsAndVerifiesAndNeverOverwritesAKey(@TempDir Path dir) throws Exception {
        Path privateFile = dir.resolve("trainer.key");
        Path publicFile = dir.resolve("trainer.pub");
        assertEquals(0, FramestreamCommand.commandLine().execute("keys", "create", "--private", privateFile.toString(), "--public",
                publicFile.toString()));
        byte[] record = {1, 2, 3};
        assertEquals(Optional.empty(), WeightsSigning.problem(WeightsSigning.readPublicKey(publicFile), record,
                WeightsSigning.sign(WeightsSigning.readPrivateKey(privateFile), record)));
        String again = FailingRun.stderr("keys", "create", "--private", privateFile.toString(), "--public", dir.resolve("other.pub").toString());
        assertTrue(again.contains("a key is there already"), again);
        String swapped = FailingRun.stderr("classify", "--verify-key", privateFile.toString());
        assertTrue(swapped.contains("is not a PEM \"PUBLIC KEY\" file"), swapped);
    }
}
