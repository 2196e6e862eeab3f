package dev.framestream.classifier.weights;

import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.model.InvalidModelException;
import dev.framestream.model.WeightsSigning;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.RecordDecodingException;
import dev.framestream.schemas.SingleObjectCodec;

/**
 * The version that serves, and the one way it changes: "a weights record arrives". Start-up from
 * {@code --model FILE}, a new version on {@code model.weights}, and a rollback (an old version's
 * weights published again as a new version) all go through {@link #offer}: validate off the hot
 * path, then swap one reference. The batcher reads the reference once per batch, so a batch runs
 * wholly on one version and a swap falls between two batches.
 *
 * <p>Only newer versions of the followed model are taken; a rejected version leaves the last good
 * one serving.
 */
public final class ModelSwitch implements Supplier<ServingModel> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSwitch.class);
    private static final SingleObjectCodec<ModelWeights> WEIGHTS = SingleObjectCodec.modelWeights();

    private final WeightsValidator validator;
    private final ClassifierMetrics metrics;
    private final PublicKey trustedKey;
    private final AtomicReference<ServingModel> serving = new AtomicReference<>();
    private volatile String followed;

    /** What an offer came to. */
    public sealed interface Result {
        record Swapped(ServingModel now) implements Result {
        }

        /** Not for this classifier: another model's weights, or not newer than the version serving. */
        record Ignored(String why) implements Result {
        }

        record Rejected(Reason reason, String message) implements Result {
        }
    }

    /** @param modelName the model to follow, or null to follow the first one that validates */
    public ModelSwitch(WeightsValidator validator, ClassifierMetrics metrics, String modelName) {
        this(validator, metrics, modelName, null);
    }

    /**
     * @param trustedKey when given, a version from the weights topic serves only if it carries an
     *                   Ed25519 signature of its bytes that verifies with this key
     */
    public ModelSwitch(WeightsValidator validator, ClassifierMetrics metrics, String modelName, PublicKey trustedKey) {
        this.validator = validator;
        this.metrics = metrics;
        this.followed = modelName;
        this.trustedKey = trustedKey;
    }

    /** The version serving now, or null before the first. */
    @Override
    public ServingModel get() {
        return serving.get();
    }

    /** The model name followed, or null while it is still open. */
    public String followed() {
        return followed;
    }

    /**
     * Offers a ModelWeights record's bytes read from the weights topic at {@code origin}, with the
     * signature from its header (null when it has none).
     */
    public Result offer(byte[] bytes, byte[] signature, DeadLetters.Origin origin) {
        return decodeAndOffer(bytes, origin, trustedKey == null ? Optional.empty() : WeightsSigning.problem(trustedKey, bytes, signature));
    }

    /** Offers the model file given to this classifier at start: trusted as it is, signed or not. */
    public Result offerFile(byte[] bytes, DeadLetters.Origin origin) {
        return decodeAndOffer(bytes, origin, Optional.empty());
    }

    /** Offers a decoded version, trusted as it is. */
    public Result offer(ModelWeights record, DeadLetters.Origin origin) {
        return offer(record, origin, Optional.empty());
    }

    private Result decodeAndOffer(byte[] bytes, DeadLetters.Origin origin, Optional<String> signatureProblem) {
        ModelWeights record;
        try {
            record = WEIGHTS.decode(bytes);
        } catch (RecordDecodingException e) {
            return rejected(Reason.BAD_WEIGHTS, "weights record " + origin + " does not decode: " + e.getMessage());
        }
        return offer(record, origin, signatureProblem);
    }

    /** Serialised: versions are validated one at a time, in the order they are offered. */
    private synchronized Result offer(ModelWeights record, DeadLetters.Origin origin, Optional<String> signatureProblem) {
        String name = record.getModelName();
        if (followed != null && !followed.equals(name)) {
            return new Result.Ignored("weights of model " + name + ", this classifier follows " + followed);
        }
        ServingModel current = serving.get();
        if (current != null && record.getVersion() <= current.version()) {
            return new Result.Ignored(name + " v" + record.getVersion() + " is not newer than " + current);
        }
        if (signatureProblem.isPresent()) {
            return rejected(Reason.BAD_WEIGHTS, "weights " + name + " v" + record.getVersion() + " from " + origin + " refused: "
                    + signatureProblem.get());
        }
        ServingModel next;
        try {
            next = validator.validate(record, current);
        } catch (InvalidModelException e) {
            return rejected(reasonFor(e.problem()), "weights " + name + " v" + record.getVersion() + " from " + origin + " refused: "
                    + e.getMessage());
        }
        serving.set(next);
        followed = name;
        metrics.swapped(next.version());
        LOG.info("serving {} from {}{}", next, origin, current == null ? "" : " (was v" + current.version() + ")");
        return new Result.Swapped(next);
    }

    private Result rejected(Reason reason, String message) {
        metrics.weightsRejected(reason);
        ServingModel current = serving.get();
        LOG.warn("{} [{}]; {}", message, reason, current == null ? "no version serves yet" : current + " keeps serving");
        return new Result.Rejected(reason, message);
    }

    private static Reason reasonFor(InvalidModelException.Problem problem) {
        return switch (problem) {
            case CHECKSUM_MISMATCH -> Reason.CHECKSUM_MISMATCH;
            case NON_FINITE -> Reason.NON_FINITE;
            case UNREADABLE, SHAPE_MISMATCH -> Reason.BAD_WEIGHTS;
        };
    }
}
