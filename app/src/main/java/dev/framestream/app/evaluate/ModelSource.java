package dev.framestream.app.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.framestream.engine.kernels.Kernels;
import dev.framestream.model.InvalidModelException;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.RecordDecodingException;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.WeightsTopic;

/**
 * The model to evaluate: a model file, or {@code topic:NAME@VERSION} (or {@code topic:NAME} for
 * the newest) from the weights topic. The topic is compacted by model name, so older versions
 * stay only until the broker compacts them; the error says which versions are there.
 */
final class ModelSource {
    private static final Pattern TOPIC = Pattern.compile("topic:([^@]+)(?:@(\\d+))?");
    private static final SingleObjectCodec<ModelWeights> WEIGHTS = SingleObjectCodec.modelWeights();

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

    /**
     * Reads the weights topic to its end for {@code name}; {@code version} -1 takes the newest valid
     * one. A record is built into a model only when it could be the one asked for.
     */
    private static Model fromTopic(String name, long version, String weightsTopic, Map<String, Object> client, String flag) {
        TreeSet<Long> seen = new TreeSet<>();
        Model[] found = {null};
        String[] problem = {null};
        WeightsTopic.readModel(client, weightsTopic, name, "framestream-evaluate-weights", record -> {
            String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
            try {
                ModelWeights weights = WEIGHTS.decode(record.value());
                seen.add(weights.getVersion());
                boolean wanted = version < 0 ? found[0] == null || weights.getVersion() > found[0].version() : weights.getVersion() == version;
                if (wanted) {
                    found[0] = ModelFile.fromRecord(weights, Kernels.best());
                }
            } catch (RecordDecodingException | InvalidModelException e) {
                problem[0] = origin + ": " + e.getMessage();
            }
        });
        Model chosen = found[0];
        String lastProblem = problem[0];
        if (chosen == null) {
            throw new IllegalArgumentException(flag + ": " + (version < 0 ? "no valid version" : "no valid version " + version) + " of model "
                    + name + " on " + weightsTopic + "; versions there: " + (seen.isEmpty() ? "none" : seen)
                    + " (the topic is compacted: only the newest of each model is sure to stay)"
                    + (lastProblem == null ? "" : "; unusable record " + lastProblem));
        }
        return chosen;
    }
}
