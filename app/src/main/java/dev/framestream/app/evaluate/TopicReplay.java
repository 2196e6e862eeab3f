package dev.framestream.app.evaluate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.framestream.model.FrameImages;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.FrameChecks;

/**
 * A range of offsets of a frames topic, partition by partition in order (so the replay is the
 * same every time), committed records only. Nothing is committed back: evaluating does not move
 * any consumer group.
 */
final class TopicReplay implements ReplaySource {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, long[]> ranges = new HashMap<>();     // partition -> {from, to (exclusive)}
    private final Map<String, Long> skipped = new TreeMap<>();
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
    private final long size;
    private int current = -1;        // the partition being read, -1 between partitions
    private int lastStarted = -1;

    TopicReplay(Map<String, Object> client, String topic, long from, long to) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "framestream-evaluate");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            var infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist on " + client.get("bootstrap.servers"));
            }
            partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long total = 0;
            for (TopicPartition partition : partitions) {
                long start = Math.max(from, begin.get(partition));
                long stop = Math.min(to, end.get(partition));
                ranges.put(partition, new long[] {start, Math.max(start, stop)});
                total += Math.max(0, stop - start);
            }
            size = total;     // offsets, an upper bound: transaction markers take offsets too
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    @Override
    public Optional<Sample> next() {
        while (true) {
            ConsumerRecord<byte[], byte[]> record = nextRecord();
            if (record == null) {
                return Optional.empty();
            }
            String id = record.topic() + "-" + record.partition() + "@" + record.offset();
            FrameChecks.Read read = FrameChecks.read(record.value(), new DeadLetters.Origin(record.topic(), record.partition(), record.offset()));
            if (read instanceof FrameChecks.Readable readable) {
                return Optional.of(new Sample(id, FrameImages.image(readable.frame()), readable.frame().getTruth()));
            }
            skipped.merge(((FrameChecks.Unreadable) read).problem().reason().name(), 1L, Long::sum);
        }
    }

    /** The next record of the range, moving on to the next partition when one is done; null at the end. */
    private ConsumerRecord<byte[], byte[]> nextRecord() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (buffered.isEmpty()) {
            if (current >= 0 && consumer.position(partitions.get(current)) >= ranges.get(partitions.get(current))[1]) {
                current = -1;
            }
            if (current < 0 && !advance()) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " within " + TIMEOUT.toSeconds() + " s; is the broker up?");
            }
            TopicPartition partition = partitions.get(current);
            long stop = ranges.get(partition)[1];
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < stop) {
                    buffered.add(record);
                }
            }
        }
        return buffered.poll();
    }

    /** Assigns the next partition with something in range; false when none is left. */
    private boolean advance() {
        for (int next = lastStarted + 1; next < partitions.size(); next++) {
            TopicPartition partition = partitions.get(next);
            long[] range = ranges.get(partition);
            lastStarted = next;
            if (range[0] < range[1]) {
                consumer.assign(List.of(partition));
                consumer.seek(partition, range[0]);
                current = next;
                return true;
            }
        }
        return false;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Map<String, Long> skipped() {
        return skipped;
    }

    @Override
    public String description() {
        return topic + " offsets " + ranges.values().stream().map(r -> r[0] + ".." + r[1]).distinct().toList() + " of "
                + partitions.size() + " partition" + (partitions.size() == 1 ? "" : "s");
    }

    @Override
    public void close() {
        consumer.close();
    }
}
