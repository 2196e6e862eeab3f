package dev.framestream.classifier.streams;

import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;

import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.schemas.TopicNames;

/**
 * What a {@link ClassifierService} is started with: the cluster, the application id, the
 * {@link ClassifierSettings}, the weights to follow or serve first, threads, commits, state and
 * the key that versions must be signed with.
 *
 * @param client          Kafka client settings: bootstrap servers and any security settings
 * @param modelFile       a model to serve until a newer version arrives, or null to wait for one
 * @param modelName       the model to follow on the weights topic; null: the model file's, else the first valid one
 * @param streamThreads   Kafka Streams threads in this instance (partitions are the unit of scale)
 * @param engineThreads   threads of the engine pool, which runs every batch of this instance
 * @param commitInterval  how often results become visible to read_committed readers (one transaction each)
 * @param stateDir        Kafka Streams' state directory, or null for its default
 * @param trustedKey      when given, versions from the weights topic serve only if signed with its private key
 * @param membership      how this instance belongs to the consumer group: how fast its partitions move when it dies
 */
public record ClassifierConfig(Map<String, Object> client, String applicationId, ClassifierSettings settings, String weightsTopic,
                               Path modelFile, String modelName, int streamThreads, int engineThreads, Duration commitInterval, Path stateDir,
                               PublicKey trustedKey, GroupMembership membership) {

    /** This configuration with another group membership. */
    public ClassifierConfig withMembership(GroupMembership other) {
        return new ClassifierConfig(client, applicationId, settings, weightsTopic, modelFile, modelName, streamThreads, engineThreads,
                commitInterval, stateDir, trustedKey, other);
    }

    /**
     * A classifier of {@code client}'s cluster behaving as {@code settings} say, every other
     * setting at {@code framestream classify}'s default: application {@code framestream-classifier},
     * {@link TopicNames#MODEL_WEIGHTS}, no model file (wait for a version), any model name, one
     * stream thread, an engine thread per core, commits every 50 ms, Kafka Streams' own state
     * directory, any valid version served, signed or not, and a static member named after the host
     * and the state directory ({@link GroupMembership#defaultInstanceId}) with
     * {@link GroupMembership#DEFAULT_SESSION_TIMEOUT}.
     */
    public static Builder builder(Map<String, Object> client, ClassifierSettings settings) {
        return new Builder(client, settings);
    }

    /** Builds a {@link ClassifierConfig}; each setter is the component of the same name. */
    public static final class Builder {
        private final Map<String, Object> client;
        private final ClassifierSettings settings;
        private String applicationId = "framestream-classifier";
        private String weightsTopic = TopicNames.MODEL_WEIGHTS;
        private Path modelFile;
        private String modelName;
        private int streamThreads = 1;
        private int engineThreads = Runtime.getRuntime().availableProcessors();
        private Duration commitInterval = Duration.ofMillis(50);
        private Path stateDir;
        private PublicKey trustedKey;
        private GroupMembership membership;

        private Builder(Map<String, Object> client, ClassifierSettings settings) {
            this.client = client;
            this.settings = settings;
        }

        public Builder applicationId(String applicationId) {
            this.applicationId = applicationId;
            return this;
        }

        public Builder weightsTopic(String weightsTopic) {
            this.weightsTopic = weightsTopic;
            return this;
        }

        public Builder modelFile(Path modelFile) {
            this.modelFile = modelFile;
            return this;
        }

        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        public Builder streamThreads(int streamThreads) {
            this.streamThreads = streamThreads;
            return this;
        }

        public Builder engineThreads(int engineThreads) {
            this.engineThreads = engineThreads;
            return this;
        }

        public Builder commitInterval(Duration commitInterval) {
            this.commitInterval = commitInterval;
            return this;
        }

        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        public Builder trustedKey(PublicKey trustedKey) {
            this.trustedKey = trustedKey;
            return this;
        }

        public Builder membership(GroupMembership membership) {
            this.membership = membership;
            return this;
        }

        public ClassifierConfig build() {
            GroupMembership group = membership != null ? membership
                    : GroupMembership.staticMember(GroupMembership.defaultInstanceId(stateDir), GroupMembership.DEFAULT_SESSION_TIMEOUT);
            return new ClassifierConfig(client, applicationId, settings, weightsTopic, modelFile, modelName, streamThreads, engineThreads,
                    commitInterval, stateDir, trustedKey, group);
        }
    }
}
