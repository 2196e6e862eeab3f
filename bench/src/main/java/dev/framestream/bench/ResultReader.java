package dev.framestream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.TopicNames;

/** Reads classifications on its own thread as a read_committed consumer, noting when each became readable. */
final class ResultReader implements AutoCloseable {
    /** How long a drain or the paced part may take to come out. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final KafkaConsumer<String, Classification> consumer;
    private final Thread thread;
    private final List<Classification> results = new ArrayList<>();
    private final List<Long> classified = new ArrayList<>();
    private final List<Long> readable = new ArrayList<>();
    private volatile boolean timing;
    private volatile boolean running = true;

    ResultReader(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), AvroSerde.classification().deserializer());
        consumer.subscribe(List.of(TopicNames.CLASSIFICATIONS));
        thread = Thread.ofPlatform().name("bench-reader").start(this::read);
    }

    private void read() {
        while (running) {
            var records = consumer.poll(Duration.ofMillis(5));
            long now = System.currentTimeMillis();
            synchronized (this) {
                for (ConsumerRecord<String, Classification> record : records) {
                    Classification c = record.value();
                    results.add(c);
                    if (timing) {
                        long capture = c.getCaptureTime().toEpochMilli();
                        classified.add(c.getClassifiedTime().toEpochMilli() - capture);
                        readable.add(now - capture);
                    }
                }
                notifyAll();
            }
        }
        consumer.close();
    }

    void startTiming() {
        timing = true;
    }

    synchronized List<Classification> await(long count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (results.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("only " + results.size() + " of " + count + " frames were classified in "
                        + PATIENCE.toMinutes() + " minutes");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return new ArrayList<>(results);
    }

    synchronized PipelineBenchmark.Latencies classifiedLatencies() {
        return sorted(classified);
    }

    synchronized PipelineBenchmark.Latencies readableLatencies() {
        return sorted(readable);
    }

    private static PipelineBenchmark.Latencies sorted(List<Long> values) {
        return new PipelineBenchmark.Latencies(values.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
