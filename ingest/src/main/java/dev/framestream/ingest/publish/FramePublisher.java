package dev.framestream.ingest.publish;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.framestream.ingest.IngestMetrics;
import dev.framestream.ingest.sources.SourceFrame;
import dev.framestream.media.Image;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.TopicNames;

/**
 * Publishes frames as {@link Frame} records keyed by camera id: every frame to the frames topic,
 * and the frames a camera marks as labelled examples to the labelled topic too, so one camera can
 * feed the classifier and the trainer at once. Thread-safe: cameras on several threads share one.
 *
 * <p>The producer is idempotent with {@code acks=all} (a retried send is written once, in order
 * per partition, so per-camera order holds), compresses with lz4, and accepts records up to the
 * frame topics' limit. Sends are asynchronous; a failed send is counted and the first failure is
 * kept for {@link #close()} to report.
 */
public final class FramePublisher implements AutoCloseable {
    private final KafkaProducer<String, Frame> producer;
    private final String framesTopic;
    private final String labelledTopic;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong framesAcknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /**
     * @param clientProperties bootstrap servers and any other client settings (TLS, SASL)
     */
    public FramePublisher(Map<String, Object> clientProperties, String framesTopic, String labelledTopic) {
        Map<String, Object> settings = new HashMap<>(clientProperties);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicNames.MAX_FRAME_BYTES);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "framestream-ingest");
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), AvroSerde.frame().serializer());
        this.framesTopic = framesTopic;
        this.labelledTopic = labelledTopic;
    }

    /**
     * Sends frame {@code sequence} of camera {@code cameraId}, to the labelled topic as well when
     * {@code labelled}; the outcome of each record goes to {@code metrics}.
     */
    public void publish(String cameraId, long sequence, SourceFrame frame, boolean labelled, IngestMetrics metrics) {
        Frame record = toRecord(cameraId, sequence, frame);
        send(framesTopic, cameraId, record, metrics, framesAcknowledged);
        if (labelled) {
            send(labelledTopic, cameraId, record, metrics, null);
        }
    }

    /** The Frame record of a source frame. */
    public static Frame toRecord(String cameraId, long sequence, SourceFrame frame) {
        Image image = frame.image();
        return Frame.newBuilder()
                .setCameraId(cameraId)
                .setSequence(sequence)
                .setCaptureTime(Instant.ofEpochMilli(frame.captureTime()))
                .setWidth(image.width())
                .setHeight(image.height())
                .setChannels(image.format().channels())
                .setPixelFormat(PixelFormat.valueOf(image.format().name()))
                .setPixels(ByteBuffer.wrap(image.pixels()))
                .setTruth(frame.truth())
                .setSource(frame.description())
                .build();
    }

    /** @param topicCount counts this record's acknowledgement too, unless null */
    private void send(String topic, String key, Frame record, IngestMetrics metrics, AtomicLong topicCount) {
        long sent = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, key, record), (metadata, error) -> {
            metrics.sent(error == null, System.nanoTime() - sent);
            if (error == null) {
                acknowledged.incrementAndGet();
                if (topicCount != null) {
                    topicCount.incrementAndGet();
                }
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    /** Records the broker has acknowledged so far: frames and their labelled copies. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Frames on the frames topic the broker has acknowledged so far, without their labelled copies. */
    public long framesAcknowledged() {
        return framesAcknowledged.get();
    }

    /** Records that failed after the producer's retries. */
    public long failed() {
        return failed.get();
    }

    /** Sends what is buffered and waits for the acknowledgements. */
    public void flush() {
        producer.flush();
    }

    /** Flushes and closes; throws if any send failed, with the first failure. */
    @Override
    public void close() {
        producer.close();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new IllegalStateException(failed.get() + " frame record(s) could not be published: " + failure.getMessage(), failure);
        }
    }
}
