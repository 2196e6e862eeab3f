package dev.framestream.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type (two magic bytes {@code C3 01}, the schema's
 * 8-byte CRC-64-AVRO fingerprint, then the binary body): the wire format of every topic and of
 * model files. Decoding tells a foreign payload, another schema and a cut-off body apart.
 */
public final class SingleObjectCodec<T extends SpecificRecord> {
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public SingleObjectCodec(Schema schema) {
        this.schema = schema;
        this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
        this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
    }

    public static SingleObjectCodec<ModelWeights> modelWeights() {
        return new SingleObjectCodec<>(ModelWeights.getClassSchema());
    }

    public static SingleObjectCodec<Frame> frame() {
        return new SingleObjectCodec<>(Frame.getClassSchema());
    }

    public static SingleObjectCodec<Classification> classification() {
        return new SingleObjectCodec<>(Classification.getClassSchema());
    }

    public static SingleObjectCodec<DeadLetter> deadLetter() {
        return new SingleObjectCodec<>(DeadLetter.getClassSchema());
    }

    public static SingleObjectCodec<TrainingProgress> trainingProgress() {
        return new SingleObjectCodec<>(TrainingProgress.getClassSchema());
    }

    /**
     * Also decodes payloads written with {@code older}, an earlier version of this record's schema:
     * Avro resolves them to the current one, filling new fields with their defaults. Register
     * every schema version still on a topic when a record changes.
     */
    public SingleObjectCodec<T> alsoReading(Schema older) {
        decoder.addSchema(older);
        return this;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("could not encode a " + schema.getName() + ": " + e.getMessage(), e);
        }
    }

    /** @throws RecordDecodingException saying whether the magic, the schema or the body is wrong */
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new RecordDecodingException(RecordDecodingException.Problem.BAD_MAGIC, "not an Avro single-object " + schema.getName()
                    + ": the payload starts with " + head(bytes) + " instead of the magic bytes c301", e);
        } catch (MissingSchemaException e) {
            long expected = SchemaNormalization.parsingFingerprint64(schema);
            throw new RecordDecodingException(RecordDecodingException.Problem.UNKNOWN_SCHEMA, "not a " + schema.getName()
                    + " this version reads: the payload's schema fingerprint " + fingerprint(bytes) + " is unknown (expected "
                    + String.format("%016x", Long.reverseBytes(expected)) + ")", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new RecordDecodingException(RecordDecodingException.Problem.TRUNCATED, "a " + schema.getName() + " of "
                    + bytes.length + " bytes that ends early or is corrupt: " + e.getMessage(), e);
        }
    }

    private static String head(byte[] bytes) {
        return bytes.length == 0 ? "nothing (0 bytes)" : HexFormat.of().formatHex(bytes, 0, Math.min(2, bytes.length));
    }

    private static String fingerprint(byte[] bytes) {
        return bytes.length < 10 ? "(cut off)" : HexFormat.of().formatHex(bytes, 2, 10);
    }
}
