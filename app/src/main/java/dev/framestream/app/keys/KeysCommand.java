package dev.framestream.app.keys;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

import dev.framestream.model.WeightsSigning;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code framestream keys create}: a key pair for signing weights. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Keys that sign model versions, so classifiers serve only what your trainer made.",
        subcommands = {KeysCommand.Create.class, CommandLine.HelpCommand.class})
public final class KeysCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Writes a new Ed25519 pair as PEM files; never overwrites a key. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Make an Ed25519 key pair: the private key for the trainer (train --online --signing-key FILE), the",
                    "public key for every classifier (classify --verify-key FILE), which then refuses unsigned or wrongly signed",
                    "versions. PEM files (PKCS#8 and X.509, as openssl writes them); the private one is readable by its owner only."})
    static final class Create implements Callable<Integer> {
        @Option(names = "--private", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_PRIVATE:-weights-signing.key}",
                description = "Where the private key goes (default: ${DEFAULT-VALUE}).")
        private Path privateFile;

        @Option(names = "--public", paramLabel = "FILE", defaultValue = "${env:FRAMESTREAM_PUBLIC:-weights-signing.pub}",
                description = "Where the public key goes (default: ${DEFAULT-VALUE}).")
        private Path publicFile;

        @Override
        public Integer call() throws Exception {
            KeyPair pair = WeightsSigning.newKeyPair();
            WeightsSigning.write(pair, privateFile, publicFile);
            System.out.printf("wrote %s (private: give it to the trainer only) and %s (public: key %s, for the classifiers)%n", privateFile,
                    publicFile, WeightsSigning.keyId(pair.getPublic()));
            return 0;
        }
    }
}
