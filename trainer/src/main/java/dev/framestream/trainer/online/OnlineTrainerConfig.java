package dev.framestream.trainer.online;

import java.security.PrivateKey;
import java.util.Map;

import dev.framestream.model.Model;

/**
 * What an {@link OnlineTrainer} is started with: the cluster, the model and where it starts from,
 * the {@link OnlineSettings}, the engine's threads and the signing key.
 *
 * @param client        Kafka client settings: bootstrap servers and any security settings
 * @param modelName     the model trained: the key on the weights topic, and part of the group and transactional ids
 * @param initial       the model to start from when the weights topic has no valid version of {@code modelName}
 * @param initialTrained whether {@code initial} is a trained version (a model file) whose version the next one follows,
 *                      rather than fresh random weights
 * @param engineThreads threads of the engine pool
 * @param signingKey    an Ed25519 key that signs every published version (a record header), or null to publish unsigned
 */
public record OnlineTrainerConfig(Map<String, Object> client, String modelName, OnlineSettings settings, Model initial, boolean initialTrained,
                                  int engineThreads, PrivateKey signingKey) {

    /** A builder for a trainer of {@code initial} on this cluster, with the defaults of {@code framestream train --online}. */
    public static Builder builder(Map<String, Object> client, Model initial) {
        return new Builder(client, initial);
    }

    /**
     * An {@link OnlineTrainerConfig} with the defaults of {@code framestream train --online}: the model's own name,
     * {@link OnlineSettings#builder()}'s settings, fresh (untrained) initial weights, one engine
     * thread per core, versions published unsigned.
     */
    public static final class Builder {
        private final Map<String, Object> client;
        private final Model initial;
        private String modelName;
        private OnlineSettings settings = OnlineSettings.builder().build();
        private boolean initialTrained;
        private int engineThreads = Runtime.getRuntime().availableProcessors();
        private PrivateKey signingKey;

        private Builder(Map<String, Object> client, Model initial) {
            this.client = client;
            this.initial = initial;
            this.modelName = initial.name();
        }

        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        public Builder settings(OnlineSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder initialTrained(boolean initialTrained) {
            this.initialTrained = initialTrained;
            return this;
        }

        public Builder engineThreads(int engineThreads) {
            this.engineThreads = engineThreads;
            return this;
        }

        /** Signs every published version with this key; null publishes unsigned. */
        public Builder signingKey(PrivateKey signingKey) {
            this.signingKey = signingKey;
            return this;
        }

        public OnlineTrainerConfig build() {
            return new OnlineTrainerConfig(client, modelName, settings, initial, initialTrained, engineThreads, signingKey);
        }
    }
}
