package dev.framestream.schemas;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Kafka {@link Serde} for one record type in Avro single-object encoding. A payload that does not
 * decode raises {@link RecordDecodingException} (its problem says which check failed), which the
 * services turn into a dead letter; a null payload (a tombstone) stays null both ways.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final SingleObjectCodec<T> codec;

    public AvroSerde(SingleObjectCodec<T> codec) {
        this.codec = codec;
    }

    public static AvroSerde<Frame> frame() {
        return new AvroSerde<>(SingleObjectCodec.frame());
    }

    public static AvroSerde<Classification> classification() {
        return new AvroSerde<>(SingleObjectCodec.classification());
    }

    public static AvroSerde<DeadLetter> deadLetter() {
        return new AvroSerde<>(SingleObjectCodec.deadLetter());
    }

    public static AvroSerde<TrainingProgress> trainingProgress() {
        return new AvroSerde<>(SingleObjectCodec.trainingProgress());
    }

    public static AvroSerde<ModelWeights> modelWeights() {
        return new AvroSerde<>(SingleObjectCodec.modelWeights());
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : codec.encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
    }
}
