package dev.framestream.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Ed25519 signatures over weights records, with the JDK's own provider, so a classifier can refuse
 * versions its trainer did not make: the trainer signs the record's bytes with a private key, the
 * classifier verifies them with the public key. Keys are PEM files: PKCS#8 for the private key
 * (written readable by its owner only), X.509 SubjectPublicKeyInfo for the public one, the forms
 * {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} write and read.
 */
public final class WeightsSigning {
    private static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private WeightsSigning() {
    }

    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (every JDK 15+ has): " + e.getMessage(), e);
        }
    }

    /** Writes the pair; refuses to overwrite either file, so a key in use is never lost by mistake. */
    public static void write(KeyPair pair, Path privateFile, Path publicFile) throws IOException {
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null, "a key is there already; move it away or write elsewhere");
            }
        }
        Files.writeString(publicFile, pem(PUBLIC, pair.getPublic().getEncoded()));
        Files.createFile(privateFile);
        try {
            Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
        Files.writeString(privateFile, pem(PRIVATE, pair.getPrivate().getEncoded()));
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] der = der(file, PRIVATE, "a signing key (framestream keys create writes one)");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        byte[] der = der(file, PUBLIC, "the trainer's public key (framestream keys create writes it next to the private one)");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The signature of a weights record's bytes. */
    public static byte[] sign(PrivateKey key, byte[] record) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(record);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** Why a record may not serve under {@code trusted}: unsigned, or signed by another key or over other bytes; empty when it verifies. */
    public static Optional<String> problem(PublicKey trusted, byte[] record, byte[] signature) {
        if (signature == null) {
            return Optional.of("it is not signed, and this classifier serves only versions signed by key " + keyId(trusted)
                    + "; give the trainer --signing-key");
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(trusted);
            verifier.update(record);
            if (verifier.verify(signature)) {
                return Optional.empty();
            }
        } catch (SignatureException | InvalidKeyException e) {
            // a malformed signature is a wrong one
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of("its signature does not verify with key " + keyId(trusted)
                + ": it was signed with another key, or changed after it was signed");
    }

    /** A short name of a public key for messages: the first 8 bytes of the SHA-256 of its encoding, in hex. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path file, String type, String what) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no key file there; it should be " + what);
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(file + " is not a PEM \"" + type + "\" file; it should be " + what);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the PEM body is not base64: " + e.getMessage(), e);
        }
    }
}
