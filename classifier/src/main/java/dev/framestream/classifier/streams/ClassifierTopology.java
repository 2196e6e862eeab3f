package dev.framestream.classifier.streams;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.Outcome;
import dev.framestream.classifier.batching.FrameFetcher;
import dev.framestream.classifier.batching.MicroBatcher;
import dev.framestream.classifier.batching.PendingFrames;
import dev.framestream.classifier.inference.InferenceQueue;
import dev.framestream.classifier.inference.ServingModel;
import dev.framestream.classifier.validation.FrameValidator;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.DeadLetter;
import dev.framestream.schemas.DeadLetters;

/**
 * The classifier's Kafka Streams topology, as docs/design.md draws it:
 * {@code frames → validate → micro-batch → engine → classifications}, with every refused record
 * going to the dead-letter topic. Each step is its own class; this one only wires them.
 */
public final class ClassifierTopology {

    private ClassifierTopology() {
    }

    /**
     * @param models    the version to serve, asked once per batch; null while none has arrived yet
     * @param engine    runs the batches of every task
     * @param wallClock milliseconds since the epoch, for the batches' waits and the records' times
     * @param fetcher   reads the bytes of frames restored to a batch store back from their topic
     */
    public static Topology build(ClassifierSettings settings, Supplier<ServingModel> models, InferenceQueue engine,
                                 ClassifierMetrics metrics, LongSupplier wallClock, FrameFetcher fetcher) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(PendingFrames.storeBuilder());

        // Bytes in, so a record that does not decode becomes a dead letter instead of stopping the stream.
        KStream<String, Outcome> checked = builder
                .stream(settings.framesTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("frames"))
                .process(() -> new FrameValidator(metrics, wallClock), Named.as("validate"));

        // Accepted frames wait in the changelogged store until their batch is full or due, then run through the engine.
        KStream<String, Outcome> verdicts = checked
                .filter((camera, outcome) -> outcome instanceof Outcome.Accepted, Named.as("accepted"))
                .process(() -> new MicroBatcher(settings, models, engine, metrics, wallClock, fetcher), Named.as("micro-batch"), PendingFrames.STORE);

        verdicts.filter((camera, outcome) -> outcome instanceof Outcome.Classified, Named.as("classified"))
                .mapValues(outcome -> ((Outcome.Classified) outcome).classification(), Named.as("classification"))
                .to(settings.classificationsTopic(), Produced.with(Serdes.String(), AvroSerde.classification())
                        .withName("classifications"));

        // Refused records from either step keep their original key bytes on the dead-letter topic.
        checked.filter((camera, outcome) -> outcome instanceof Outcome.Refused, Named.as("refused-at-validation"))
                .merge(verdicts.filter((camera, outcome) -> outcome instanceof Outcome.Refused, Named.as("refused-at-batch")),
                        Named.as("refused"))
                .map((camera, outcome) -> {
                    DeadLetter letter = ((Outcome.Refused) outcome).deadLetter();
                    metrics.deadLettered(letter.getReason());
                    return KeyValue.pair(DeadLetters.originalKey(letter), letter);
                }, Named.as("dead-letter"))
                .to(settings.deadLetterTopic(), Produced.with(Serdes.ByteArray(), AvroSerde.deadLetter()).withName("dead-letters"));
        return builder.build();
    }
}
