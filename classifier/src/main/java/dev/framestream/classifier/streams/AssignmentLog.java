package dev.framestream.classifier.streams;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, after every rebalance, which partitions and tasks this instance owns, so an operator sees
 * how the work is split and where a dead instance's partitions went. The owned partitions are
 * read on a thread of its own: the state listener that reports a rebalance runs on a stream
 * thread, and reading every thread's metadata from there could wait on that thread's own lock.
 */
final class AssignmentLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentLog.class);

    private final KafkaStreams streams;
    private final String instance;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
            .name("framestream-assignment-log").factory());
    private volatile List<TopicPartition> owned = List.of();

    AssignmentLog(KafkaStreams streams, String instance) {
        this.streams = streams;
        this.instance = instance;
    }

    /** A rebalance has ended: log what this instance owns now. */
    void changed() {
        reader.execute(this::log);
    }

    /** The source partitions of this instance's active tasks at the last rebalance. */
    List<TopicPartition> owned() {
        return owned;
    }

    private void log() {
        List<TaskMetadata> active = streams.metadataForLocalThreads().stream().map(ThreadMetadata::activeTasks)
                .flatMap(tasks -> tasks.stream()).sorted(Comparator.comparing(TaskMetadata::taskId)).toList();
        owned = active.stream().flatMap(task -> task.topicPartitions().stream())
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition)).toList();
        if (active.isEmpty()) {
            LOG.info("instance {} owns no partitions (the group has more stream threads than partitions, or they are still moving)",
                    instance);
        } else {
            LOG.info("instance {} owns {} (tasks {})", instance, owned.stream().map(TopicPartition::toString).collect(Collectors.joining(", ")),
                    active.stream().map(task -> task.taskId().toString()).collect(Collectors.joining(", ")));
        }
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
