package dev.framestream.classifier.validation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.LongSupplier;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.Outcome;
import dev.framestream.classifier.PendingFrame;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.FrameChecks;

/**
 * The first step: a record's bytes become an {@link Outcome.Accepted} frame, or an
 * {@link Outcome.Refused} dead letter that says why (it does not decode, it has no pixels, its
 * pixels do not match its dimensions). Frames are read as bytes rather than through a serde so a
 * bad record is a dead letter with its original bytes, never a stopped stream.
 */
public final class FrameValidator implements Processor<byte[], byte[], String, Outcome> {
    private final ClassifierMetrics metrics;
    private final LongSupplier wallClock;
    private ProcessorContext<String, Outcome> context;

    public FrameValidator(ClassifierMetrics metrics, LongSupplier wallClock) {
        this.metrics = metrics;
        this.wallClock = wallClock;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow();
        DeadLetters.Origin origin = new DeadLetters.Origin(metadata.topic(), metadata.partition(), metadata.offset());
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        long now = wallClock.getAsLong();
        metrics.frameIn(key);
        Frame frame;
        switch (FrameChecks.read(record.value(), origin)) {
            case FrameChecks.Unreadable bad -> {
                refuse(record, key, origin, bad.problem(), now);
                return;
            }
            case FrameChecks.Readable good -> frame = good.frame();
        }
        PendingFrame pending = new PendingFrame(origin, frame.getCameraId(), record.key(), record.value(), frame);
        context.forward(new Record<>(frame.getCameraId(), new Outcome.Accepted(pending), record.timestamp()));
    }

    private void refuse(Record<byte[], byte[]> record, String key, DeadLetters.Origin origin, FrameChecks.Problem problem, long now) {
        context.forward(new Record<>(key, new Outcome.Refused(DeadLetters.of(ClassifierMetrics.SERVICE, origin, problem.reason(),
                problem.message(), record.key(), record.value(), Instant.ofEpochMilli(now))), now));
    }
}
