package dev.framestream.classifier.streams;

import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.ClassifierSettings;
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
    // A split's node is named VALIDATION or BATCH and each branch's that plus the branch's name
    // ("validation-accepted", "batch-refused"), which is also its key in the split's map. Node names
    // name no topic: the one changelog is PendingFrames.STORE's, and nothing here repartitions.
    private static final String VALIDATION = "validation";
    private static final String BATCH = "batch";
    private static final String ACCEPTED = "-accepted";
    private static final String CLASSIFIED = "-classified";
    private static final String REFUSED = "-refused";

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

        // Validation either accepts a frame for batching or refuses the record.
        Map<String, KStream<String, Outcome>> validated = checked.split(Named.as(VALIDATION))
                .branch((camera, outcome) -> outcome instanceof Outcome.Accepted, Branched.as(ACCEPTED))
                .branch((camera, outcome) -> outcome instanceof Outcome.Refused, Branched.as(REFUSED))
                .noDefaultBranch();

        // Accepted frames wait in the changelogged store until their batch is full or due, then run through the engine.
        KStream<String, Outcome> verdicts = validated.get(VALIDATION + ACCEPTED)
                .process(() -> new MicroBatcher(settings, models, engine, metrics, wallClock, fetcher), Named.as("micro-batch"), PendingFrames.STORE);

        // The batch gives each frame a verdict for the classifications topic, or refuses it.
        Map<String, KStream<String, Outcome>> batched = verdicts.split(Named.as(BATCH))
                .branch((camera, outcome) -> outcome instanceof Outcome.Classified, Branched.withConsumer(classified -> classified
                        .mapValues(outcome -> ((Outcome.Classified) outcome).classification(), Named.as("classification"))
                        .to(settings.classificationsTopic(), Produced.with(Serdes.String(), AvroSerde.classification())
                                .withName("classifications")), CLASSIFIED))
                .branch((camera, outcome) -> outcome instanceof Outcome.Refused, Branched.as(REFUSED))
                .noDefaultBranch();

        // Refused records from either step keep their original key bytes on the dead-letter topic.
        validated.get(VALIDATION + REFUSED)
                .merge(batched.get(BATCH + REFUSED), Named.as("refused"))
                .map((camera, outcome) -> {
                    DeadLetter letter = ((Outcome.Refused) outcome).deadLetter();
                    metrics.deadLettered(letter.getReason());
                    return KeyValue.pair(DeadLetters.originalKey(letter), letter);
                }, Named.as("dead-letter"))
                .to(settings.deadLetterTopic(), Produced.with(Serdes.ByteArray(), AvroSerde.deadLetter()).withName("dead-letters"));
        return builder.build();
    }
}
