package dev.framestream.trainer.online;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.framestream.schemas.DeadLetters;

/** A resuming trainer's memory: the records just before the committed offsets, read back into the learner. */
final class ReadBack {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private ReadBack() {
    }

    /**
     * Reads back up to the replay buffer's capacity of records before the committed offsets,
     * spread over the partitions: the champion trained on them, so they refill the replay buffer
     * and the validation window without being trained on again.
     */
    static int refill(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                      Map<TopicPartition, OffsetAndMetadata> committed, int replayCapacity, LabelledFrames frames, OnlineLearner learner) {
        Map<TopicPartition, Long> until = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null && offset.offset() > 0) {
                until.put(partition, offset.offset());
            }
        });
        if (until.isEmpty() || replayCapacity == 0) {
            return 0;
        }
        long perPartition = Math.max(1, replayCapacity / until.size());
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(until.keySet());
        for (TopicPartition partition : partitions) {
            Long end = until.get(partition);
            if (end == null) {
                consumer.pause(List.of(partition));
            } else {
                consumer.seek(partition, Math.max(beginning.get(partition), end - perPartition));
            }
        }
        int read = 0;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (until.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue()) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= until.get(partition)) {
                    consumer.pause(List.of(partition));
                    continue;
                }
                if (frames.read(record.value(), new DeadLetters.Origin(record.topic(), record.partition(), record.offset())) instanceof LabelledFrames.Usable usable) {
                    learner.remember(usable.example());
                    read++;
                }
            }
        }
        consumer.resume(partitions);
        return read;
    }
}
