package dev.framestream.app.demo;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Classification;

/**
 * Reads the classifications as any user would (read_committed, so only what the classifier
 * committed) and keeps what the status block and the summary show: the rolling accuracy against
 * the frames' truth, recent latency, and a tally per model version.
 */
final class ResultWatcher implements AutoCloseable {
    /** Accuracy is over this many of the latest classified frames that carried a truth. */
    static final int ACCURACY_WINDOW = 500;
    private static final long LATENCY_WINDOW_MILLIS = 10_000;

    /** Frames one model version classified, and how many of those with a truth it got right. */
    record VersionTally(long version, long frames, long scored, long correct) {
        double accuracy() {
            return scored == 0 ? Double.NaN : (double) correct / scored;
        }
    }

    /**
     * @param outOfOrder results whose sequence was not above their camera's last one: repeats or reordering, 0 when all is well
     * @param accuracy  top-1 accuracy over the latest {@link #ACCURACY_WINDOW} scored frames; NaN before any
     * @param p50Millis capture to classified, over the last 10 s of results; -1 before any
     */
    record Snapshot(long classified, long outOfOrder, double accuracy, int scoredInWindow, long p50Millis, long p99Millis,
                    List<VersionTally> versions) {
    }

    private final KafkaConsumer<String, Classification> consumer;
    private final Thread thread;
    private final ArrayDeque<Boolean> recentHits = new ArrayDeque<>();
    private final ArrayDeque<long[]> recentLatencies = new ArrayDeque<>();     // {arrived millis, latency millis}
    private final Map<Long, long[]> perVersion = new TreeMap<>();               // version -> {frames, scored, correct}
    private final Map<String, Long> lastSequence = new HashMap<>();
    private long classified;
    private long outOfOrder;
    private int hitsInWindow;
    private volatile boolean running = true;

    ResultWatcher(Map<String, Object> client, String topic) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "framestream-demo-watcher");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(settings, new StringDeserializer(), AvroSerde.classification().deserializer());
        consumer.subscribe(List.of(topic));
        thread = Thread.ofPlatform().name("framestream-demo-watcher").start(this::read);
    }

    private void read() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                synchronized (this) {
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<String, Classification> record : records) {
                        add(record.value(), now);
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    private void add(Classification c, long now) {
        classified++;
        // The classifier keeps each camera's order, so a sequence at or below the last one is a repeat.
        Long last = lastSequence.put(c.getCameraId(), c.getSequence());
        outOfOrder += last != null && c.getSequence() <= last ? 1 : 0;
        long[] tally = perVersion.computeIfAbsent(c.getModelVersion(), v -> new long[3]);
        tally[0]++;
        recentLatencies.add(new long[] {now, c.getClassifiedTime().toEpochMilli() - c.getCaptureTime().toEpochMilli()});
        while (recentLatencies.peek()[0] < now - LATENCY_WINDOW_MILLIS) {
            recentLatencies.poll();
        }
        if (c.getTruth() == null || c.getTop().isEmpty()) {
            return;
        }
        boolean hit = c.getTop().get(0).getLabel().equals(c.getTruth());
        tally[1]++;
        tally[2] += hit ? 1 : 0;
        recentHits.add(hit);
        hitsInWindow += hit ? 1 : 0;
        if (recentHits.size() > ACCURACY_WINDOW) {
            hitsInWindow -= recentHits.poll() ? 1 : 0;
        }
    }

    synchronized Snapshot snapshot() {
        long[] latencies = recentLatencies.stream().mapToLong(l -> l[1]).sorted().toArray();
        List<VersionTally> versions = new ArrayList<>();
        perVersion.forEach((version, t) -> versions.add(new VersionTally(version, t[0], t[1], t[2])));
        return new Snapshot(classified, outOfOrder, recentHits.isEmpty() ? Double.NaN : (double) hitsInWindow / recentHits.size(),
                recentHits.size(), percentile(latencies, 0.5), percentile(latencies, 0.99), versions);
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
