package dev.framestream.app.evaluate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.model.InvalidModelException;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.RecordDecodingException;
import dev.framestream.schemas.WeightsTopic;

/**
 * The model to evaluate: a model file, or {@code topic:NAME@VERSION} (or {@code topic:NAME} for
 * the newest) from the weights topic. The topic is compacted by model name, so older versions
 * stay only until the broker compacts them; the error says which versions are there.
 */
final class ModelSource {
    private static final Pattern TOPIC = Pattern.compile("topic:([^@]+)(?:@(\\d+))?");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ModelSource() {
    }

    static Model open(String spec, String flag, String weightsTopic, Map<String, Object> client) throws IOException {
        if (!spec.startsWith("topic:")) {
            return ModelFile.load(Path.of(spec));
        }
        Matcher topic = TOPIC.matcher(spec);
        if (!topic.matches()) {
            throw new IllegalArgumentException(flag + " " + spec + ": write a model file, topic:NAME@VERSION or topic:NAME (the newest)");
        }
        return fromTopic(topic.group(1), topic.group(2) == null ? -1 : Long.parseLong(topic.group(2)), weightsTopic, client, flag);
    }

    /** Reads the weights topic to its end for {@code name}; {@code version} -1 takes the newest valid one. */
    private static Model fromTopic(String name, long version, String weightsTopic, Map<String, Object> client, String flag) {
        Map<String, Object> settings = WeightsTopic.readerSettings(client, "framestream-evaluate-weights");
        byte[] key = name.getBytes(StandardCharsets.UTF_8);
        TreeSet<Long> seen = new TreeSet<>();
        Model chosen = null;
        String lastProblem = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(weightsTopic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("weights topic " + weightsTopic + " does not exist on " + client.get("bootstrap.servers"));
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(weightsTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + weightsTopic + " to its end within " + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null || !Arrays.equals(record.key(), key)) {
                        continue;
                    }
                    try {
                        Model model = ModelFile.decode(record.value(), Kernels.best());
                        seen.add(model.version());
                        if (version < 0 ? chosen == null || model.version() > chosen.version() : model.version() == version) {
                            chosen = model;
                        }
                    } catch (RecordDecodingException | InvalidModelException e) {
                        lastProblem = record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage();
                    }
                }
            }
        }
        if (chosen == null) {
            throw new IllegalArgumentException(flag + ": " + (version < 0 ? "no valid version" : "no valid version " + version) + " of model "
                    + name + " on " + weightsTopic + "; versions there: " + (seen.isEmpty() ? "none" : seen)
                    + " (the topic is compacted: only the newest of each model is sure to stay)"
                    + (lastProblem == null ? "" : "; unusable record " + lastProblem));
        }
        return chosen;
    }
}
