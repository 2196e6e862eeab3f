package dev.framestream.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.framestream.classifier.batching.MicroBatcher;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.TopicNames;

/**
 * The classifications of a chaos run as a read_committed consumer sees them, read on a thread of
 * their own from the start of the run: how many, how many distinct frames, and for each one the
 * partition, the instance that classified it (the record's header), when it was classified and
 * when it became visible here. From these come the instances' shares, the partitions each owned
 * at a moment, and how long after a kill or a start results flowed again.
 */
final class ChaosResults implements AutoCloseable {
    private static final String NO_HEADER = "?";

    /** One classification: the instance that made it, its partition, its batch's time and when it was read here (epoch ms). */
    record Seen(String instance, int partition, long classifiedAt, long readAt) {
    }

    private final Set<String> distinct = new HashSet<>();
    private final List<Seen> seen = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ChaosResults(Map<String, Object> client) {
        thread = Thread.ofPlatform().name("chaos-results").start(() -> {
            try (KafkaConsumer<String, Classification> consumer = new KafkaConsumer<>(ChaosBenchmark.reader(client, "chaos-reader"),
                    new StringDeserializer(), AvroSerde.classification().deserializer())) {
                consumer.subscribe(List.of(TopicNames.CLASSIFICATIONS));
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(50));
                    long now = System.currentTimeMillis();
                    synchronized (this) {
                        for (ConsumerRecord<String, Classification> record : records) {
                            distinct.add(record.value().getCameraId() + "#" + record.value().getSequence());
                            seen.add(new Seen(instanceOf(record), record.partition(), record.value().getClassifiedTime().toEpochMilli(), now));
                        }
                    }
                }
            }
        });
    }

    private static String instanceOf(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(MicroBatcher.CLASSIFIED_BY_HEADER);
        return header == null ? NO_HEADER : new String(header.value(), StandardCharsets.UTF_8);
    }

    synchronized long classified() {
        return seen.size();
    }

    synchronized long distinct() {
        return distinct.size();
    }

    /** Classifications per instance. */
    synchronized Map<String, Long> perInstance() {
        Map<String, Long> counts = new TreeMap<>();
        seen.forEach(s -> counts.merge(s.instance(), 1L, Long::sum));
        return counts;
    }

    /**
     * The partitions {@code instance} served at {@code moment}: those whose last classification
     * made before then came from it.
     */
    synchronized Set<Integer> ownedAt(String instance, long moment) {
        Map<Integer, Seen> last = new HashMap<>();
        for (Seen s : seen) {
            if (s.classifiedAt() < moment && (!last.containsKey(s.partition()) || last.get(s.partition()).classifiedAt() <= s.classifiedAt())) {
                last.put(s.partition(), s);
            }
        }
        Set<Integer> owned = new TreeSet<>();
        last.forEach((partition, s) -> {
            if (s.instance().equals(instance)) {
                owned.add(partition);
            }
        });
        return owned;
    }

    /** The first classification of {@code partition} made after {@code moment}, by whichever instance; null if none came. */
    synchronized Seen firstOnAfter(int partition, long moment) {
        return seen.stream().filter(s -> s.partition() == partition && s.classifiedAt() > moment)
                .min((a, b) -> Long.compare(a.readAt(), b.readAt())).orElse(null);
    }

    /** When the first classification {@code instance} made after {@code moment} became visible; empty if none came. */
    synchronized OptionalLong firstByAfter(String instance, long moment) {
        return seen.stream().filter(s -> s.instance().equals(instance) && s.classifiedAt() >= moment).mapToLong(Seen::readAt).min();
    }

    /** Until {@code instance} has results made after {@code moment} (it works), or the patience runs out. */
    void awaitWorking(String instance, long moment, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (firstByAfter(instance, moment).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Until every sent frame has a classification (then 3 s more, for a late repeat to show), or the patience runs out. */
    void await(long sent, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (distinct() < sent && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(3000);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
