package dev.framestream.broker;

import static dev.framestream.schemas.TopicNames.CLASSIFICATIONS;
import static dev.framestream.schemas.TopicNames.DEAD_LETTERS;
import static dev.framestream.schemas.TopicNames.FRAMES;
import static dev.framestream.schemas.TopicNames.FRAMES_LABELLED;
import static dev.framestream.schemas.TopicNames.MODEL_WEIGHTS;
import static dev.framestream.schemas.TopicNames.TRAINING_PROGRESS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.framestream.schemas.TopicNames;

/**
 * The framestream topics and their configuration, created idempotently on any cluster: a topic that
 * exists is left as it is.
 *
 * <ul>
 *   <li>{@code frames}, {@code frames.labelled}: keyed by camera id (order per camera), room for a
 *       frame of up to {@link TopicNames#MAX_FRAME_BYTES}, kept one day (frames are large and consumed at once);
 *   <li>{@code classifications}: keyed by camera id, kept seven days;
 *   <li>{@code model.weights}: compacted, keyed by model name, so the latest version of every model
 *       stays forever and a starting classifier reads it from the beginning; weights up to 64 MB;
 *   <li>{@code frames.dlq}: dead letters with their original bytes, kept seven days;
 *   <li>{@code training.progress}: the trainers' reports, kept seven days.
 * </ul>
 * Partitions are the unit of scale for the frame and result topics (one classifier task per
 * partition); the weights, dead-letter and progress topics have one.
 */
public final class Topics {
    private static final String DAY = Long.toString(24L * 3600 * 1000);
    private static final String WEEK = Long.toString(7L * 24 * 3600 * 1000);

    private Topics() {
    }

    /** Every topic with its configuration; the frame and result topics with {@code partitions} partitions. */
    public static List<NewTopic> all(int partitions, short replication) {
        if (partitions < 1 || replication < 1) {
            throw new IllegalArgumentException("topics need at least 1 partition and replica, got " + partitions + " and " + replication);
        }
        String frameBytes = Integer.toString(TopicNames.MAX_FRAME_BYTES);
        return List.of(
                new NewTopic(FRAMES, partitions, replication).configs(Map.of("retention.ms", DAY, "max.message.bytes", frameBytes)),
                new NewTopic(FRAMES_LABELLED, partitions, replication).configs(Map.of("retention.ms", DAY, "max.message.bytes", frameBytes)),
                new NewTopic(CLASSIFICATIONS, partitions, replication).configs(Map.of("retention.ms", WEEK)),
                new NewTopic(MODEL_WEIGHTS, 1, replication).configs(Map.of("cleanup.policy", "compact",
                        "max.message.bytes", Integer.toString(64 * 1024 * 1024), "min.compaction.lag.ms", "0")),
                new NewTopic(DEAD_LETTERS, 1, replication).configs(Map.of("retention.ms", WEEK,
                        "max.message.bytes", Integer.toString(TopicNames.MAX_FRAME_BYTES + 1024 * 1024))),
                new NewTopic(TRAINING_PROGRESS, 1, replication).configs(Map.of("retention.ms", WEEK)));
    }

    /**
     * Creates the topics that do not exist yet and returns their names; existing ones are kept as
     * they are, so running it again (or against a cluster set up by hand) is harmless.
     */
    public static List<String> create(Admin admin, int partitions, short replication) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic topic : all(partitions, replication)) {
            if (!existing.contains(topic.name())) {
                missing.add(topic);
            }
        }
        List<String> created = new ArrayList<>();
        for (var result : admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get();
                created.add(result.getKey());
            } catch (ExecutionException e) {
                // Another process created it between the listing and now: as good as done.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }
}
