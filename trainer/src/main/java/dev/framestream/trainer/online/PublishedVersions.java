package dev.framestream.trainer.online;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.model.InvalidModelException;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.RecordDecodingException;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.WeightsTopic;

/**
 * What the weights topic says about one model when a trainer starts: the highest version number
 * ever committed (the next one must be greater) and the newest version that is valid, to resume
 * training from. Reads committed records only, from the beginning to the end at the time of asking.
 */
record PublishedVersions(long highestVersion, Optional<Model> latestValid) {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedVersions.class);
    private static final SingleObjectCodec<ModelWeights> CODEC = SingleObjectCodec.modelWeights();

    static PublishedVersions read(Map<String, Object> client, String topic, String modelName) {
        long[] highest = {0};
        Model[] newest = {null};
        WeightsTopic.readModel(client, topic, modelName, "framestream-trainer-resume", record -> {
            try {
                ModelWeights weights = CODEC.decode(record.value());
                highest[0] = Math.max(highest[0], weights.getVersion());
                if (newest[0] == null || weights.getVersion() > newest[0].version()) {
                    newest[0] = ModelFile.fromRecord(weights, Kernels.best());
                }
            } catch (RecordDecodingException | InvalidModelException e) {
                LOG.warn("{}-{}@{} is not a usable version of {}: {}", record.topic(), record.partition(), record.offset(), modelName,
                        e.getMessage());
            }
        });
        return new PublishedVersions(highest[0], Optional.ofNullable(newest[0]));
    }
}
