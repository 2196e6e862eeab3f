package dev.framestream.trainer.online;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static PublishedVersions read(Map<String, Object> client, String topic, String modelName) {
        Map<String, Object> settings = WeightsTopic.readerSettings(client, "framestream-trainer-resume");
        byte[] key = modelName.getBytes(StandardCharsets.UTF_8);
        long highest = 0;
        long newestVersion = 0;
        Model valid = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist; create it with framestream topics create");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT.toSeconds()
                            + " s; is the broker up?");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null || !Arrays.equals(record.key(), key)) {
                        continue;
                    }
                    try {
                        long version = CODEC.decode(record.value()).getVersion();
                        highest = Math.max(highest, version);
                        if (version > newestVersion) {
                            valid = ModelFile.decode(record.value(), Kernels.best());
                            newestVersion = version;
                        }
                    } catch (RecordDecodingException | InvalidModelException e) {
                        LOG.warn("{}-{}@{} is not a usable version of {}: {}", record.topic(), record.partition(), record.offset(), modelName,
                                e.getMessage());
                    }
                }
            }
        }
        return new PublishedVersions(highest, Optional.ofNullable(valid));
    }
}
