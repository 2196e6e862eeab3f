package dev.framestream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The records' wire format: round trips, each decoding error, schema evolution, documentation. */
class SchemasTest {
    private static final Instant T = Instant.ofEpochMilli(1_763_800_000_123L);

    static Frame frame() {
        return Frame.newBuilder().setCameraId("door").setSequence(41).setCaptureTime(T).setWidth(2).setHeight(1).setChannels(3)
                .setPixelFormat(PixelFormat.BGR8).setPixels(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, (byte) 255}))
                .setTruth("cat").setSource("door.mp4#41").build();
    }

    @Test
    void everyRecordSurvivesTheSerdeUnchanged() {
        roundTrip(AvroSerde.frame(), frame());
        roundTrip(AvroSerde.classification(), Classification.newBuilder().setCameraId("door").setSequence(41).setCaptureTime(T)
                .setClassifiedTime(T.plusMillis(12)).setModelName("digits").setModelVersion(3).setWeightsSha256("ab12")
                .setTop(List.of(new LabelProbability("7", 0.9f), new LabelProbability("1", 0.05f))).setTruth(null).build());
        roundTrip(AvroSerde.deadLetter(), DeadLetter.newBuilder().setOriginTopic("frames").setOriginPartition(2).setOriginOffset(1234)
                .setReason(Reason.SHAPE_MISMATCH).setMessage("frame 640x480x3 does not match 1x28x28").setOriginalKey(null)
                .setOriginalValue(ByteBuffer.wrap(new byte[] {9, 9})).setTime(T).setService("classifier").build());
        roundTrip(AvroSerde.trainingProgress(), TrainingProgress.newBuilder().setModelName("digits").setStep(100).setExamplesSeen(3200)
                .setLoss(0.31).setTrainAccuracy(0.9).setValidationLoss(null).setValidationAccuracy(0.88).setLearningRate(0.001)
                .setModelVersion(4L).setTime(T).build());
    }

    private static <T extends SpecificRecord> void roundTrip(AvroSerde<T> serde, T record) {
        byte[] bytes = serde.serializer().serialize("topic", record);
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        assertEquals(record, serde.deserializer().deserialize("topic", bytes));
    }

    @Test
    void aTombstoneStaysNull() {
        assertNull(AvroSerde.frame().serializer().serialize("frames", null));
        assertNull(AvroSerde.frame().deserializer().deserialize("frames", null));
    }

    @Test
    void foreignBytesAreABadMagic() {
        RecordDecodingException error = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.frame().deserializer().deserialize("frames", "{\"json\": true}".getBytes()));
        assertEquals(RecordDecodingException.Problem.BAD_MAGIC, error.problem());
        assertTrue(error.getMessage().contains("7b22") && error.getMessage().contains("c301"), error.getMessage());
    }

    @Test
    void anotherRecordIsAnUnknownSchema() {
        byte[] frame = AvroSerde.frame().serializer().serialize("frames", frame());
        RecordDecodingException error = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.classification().deserializer().deserialize("classifications", frame));
        assertEquals(RecordDecodingException.Problem.UNKNOWN_SCHEMA, error.problem());
        assertTrue(error.getMessage().contains("fingerprint"), error.getMessage());
    }

    @Test
    void aCutOffBodyIsTruncated() {
        byte[] frame = AvroSerde.frame().serializer().serialize("frames", frame());
        byte[] cut = Arrays.copyOf(frame, frame.length - 8);
        RecordDecodingException error = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.frame().deserializer().deserialize("frames", cut));
        assertEquals(RecordDecodingException.Problem.TRUNCATED, error.problem());
    }

    /** A frame written before truth and source existed reads with their defaults. */
    @Test
    void anOlderFrameSchemaDecodesWithTheNewFieldsDefaults() {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : Frame.getClassSchema().getFields()) {
            if (!field.name().equals("truth") && !field.name().equals("source")) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        Schema older = Schema.createRecord("Frame", null, "dev.framestream.schemas", false, fields);
        GenericRecord record = new GenericData.Record(older);
        Frame current = frame();
        for (Schema.Field field : fields) {
            Object value = current.get(field.name());
            if (field.name().equals("pixelFormat")) {
                value = new GenericData.EnumSymbol(field.schema(), value.toString());
            } else if (field.name().equals("captureTime")) {
                value = T.toEpochMilli();
            }
            record.put(field.name(), value);
        }
        byte[] bytes;
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(record);
            bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Frame decoded = SingleObjectCodec.frame().alsoReading(older).decode(bytes);
        assertEquals("door", decoded.getCameraId());
        assertEquals(T, decoded.getCaptureTime());
        assertNull(decoded.getTruth());
        assertEquals("", decoded.getSource());
    }

    @Test
    void everyFieldOfEveryRecordIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Schema schema : List.of(Frame.getClassSchema(), Classification.getClassSchema(), DeadLetter.getClassSchema(),
                TrainingProgress.getClassSchema(), ModelWeights.getClassSchema())) {
            collect(schema, undocumented, seen);
        }
        assertTrue(undocumented.isEmpty(), "fields without a doc: " + undocumented);
    }

    private static void collect(Schema schema, List<String> undocumented, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.doc() == null || field.doc().isBlank()) {
                        undocumented.add(schema.getName() + "." + field.name());
                    }
                    collect(field.schema(), undocumented, seen);
                }
            }
            case ARRAY -> collect(schema.getElementType(), undocumented, seen);
            case UNION -> schema.getTypes().forEach(t -> collect(t, undocumented, seen));
            default -> {
            }
        }
    }
}
