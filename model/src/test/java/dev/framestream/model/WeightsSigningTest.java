package dev.framestream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsSigningTest {
    private final byte[] record = "a weights record's bytes".getBytes();

    @Test
    void aSignatureVerifiesWithItsPublicKeyOnlyAndOnlyOverTheSameBytes() {
        KeyPair pair = WeightsSigning.newKeyPair();
        byte[] signature = WeightsSigning.sign(pair.getPrivate(), record);
        assertEquals(64, signature.length, "Ed25519 signatures are 64 bytes");
        assertEquals(Optional.empty(), WeightsSigning.problem(pair.getPublic(), record, signature));

        byte[] changed = record.clone();
        changed[3] ^= 1;
        assertTrue(WeightsSigning.problem(pair.getPublic(), changed, signature).orElseThrow().contains("does not verify"));
        assertTrue(WeightsSigning.problem(WeightsSigning.newKeyPair().getPublic(), record, signature).isPresent());
        assertTrue(WeightsSigning.problem(pair.getPublic(), record, new byte[] {1, 2, 3}).isPresent(), "a malformed signature is a wrong one");
        assertTrue(WeightsSigning.problem(pair.getPublic(), record, null).orElseThrow().contains("not signed"));
    }

    @Test
    void keysRoundTripThroughPemFilesAndThePrivateOneIsTheOwnersAlone(@TempDir Path dir) throws Exception {
        KeyPair pair = WeightsSigning.newKeyPair();
        Path privateFile = dir.resolve("weights.key");
        Path publicFile = dir.resolve("weights.pub");
        WeightsSigning.write(pair, privateFile, publicFile);
        assertTrue(Files.readString(privateFile).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(publicFile).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(privateFile));

        PrivateKey privateKey = WeightsSigning.readPrivateKey(privateFile);
        PublicKey publicKey = WeightsSigning.readPublicKey(publicFile);
        assertArrayEquals(pair.getPublic().getEncoded(), publicKey.getEncoded());
        assertEquals(Optional.empty(), WeightsSigning.problem(publicKey, record, WeightsSigning.sign(privateKey, record)));
        assertEquals(WeightsSigning.keyId(pair.getPublic()), WeightsSigning.keyId(publicKey));
        assertThrows(FileAlreadyExistsException.class, () -> WeightsSigning.write(WeightsSigning.newKeyPair(), privateFile, dir.resolve("x.pub")),
                "a key in use is never overwritten");
    }

    @Test
    void aWrongKeyFileSaysWhatItShouldBe(@TempDir Path dir) throws Exception {
        KeyPair pair = WeightsSigning.newKeyPair();
        WeightsSigning.write(pair, dir.resolve("k"), dir.resolve("k.pub"));
        var swapped = assertThrows(IllegalArgumentException.class, () -> WeightsSigning.readPublicKey(dir.resolve("k")));
        assertTrue(swapped.getMessage().contains("is not a PEM \"PUBLIC KEY\" file"), swapped.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        var bad = assertThrows(IllegalArgumentException.class, () -> WeightsSigning.readPublicKey(junk));
        assertTrue(bad.getMessage().contains("is not an Ed25519 public key"), bad.getMessage());
        var missing = assertThrows(java.nio.file.NoSuchFileException.class, () -> WeightsSigning.readPrivateKey(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("framestream keys create"), missing.getMessage());
    }
}
