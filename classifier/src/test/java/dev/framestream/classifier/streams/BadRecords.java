package dev.framestream.classifier.streams;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import dev.framestream.classifier.TestModels;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.LabelProbability;
import dev.framestream.schemas.ModelWeights;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.Reason;
import dev.framestream.schemas.Sha256;
import dev.framestream.schemas.SingleObjectCodec;

/**
 * A corpus of bad records, each with the reason code the classifier must give it: the ways a
 * frames topic or a weights topic goes wrong in practice (foreign producers, other schemas and
 * versions, cut-off writes, lying headers, diverged or tampered weights), drawn at random.
 */
final class BadRecords {

    /** One bad record: its value (null for a tombstone), what kind of bad, and the reason it must be refused with. */
    record Bad(String kind, byte[] value, Reason reason) {
    }

    /** The kinds of bad frame, each making one record from a good frame's bytes and a random source. */
    private record Kind(String name, Reason reason, Function<SplittableRandom, byte[]> make) {
    }

    private static final SingleObjectCodec<Frame> FRAMES = SingleObjectCodec.frame();

    private BadRecords() {
    }

    /** {@code count} bad frame records cycling through every kind, for a model whose input is {@code side} x {@code side} grey. */
    static List<Bad> frames(int count, int side, long seed) {
        List<Kind> kinds = List.of(
                new Kind("foreign bytes", Reason.BAD_MAGIC, r -> {
                    byte[] bytes = new byte[1 + r.nextInt(200)];
                    r.nextBytes(bytes);
                    bytes[0] = (byte) (bytes[0] == (byte) 0xC3 ? 0x00 : bytes[0]);
                    return bytes;
                }),
                new Kind("JSON", Reason.BAD_MAGIC, r -> ("{\"camera\":\"door\",\"seq\":" + r.nextInt() + "}").getBytes()),
                new Kind("wrong magic", Reason.BAD_MAGIC, r -> {
                    byte[] bytes = FRAMES.encode(good(r, side));
                    bytes[1] = (byte) (2 + r.nextInt(200));
                    return bytes;
                }),
                new Kind("unknown schema fingerprint", Reason.UNKNOWN_SCHEMA, r -> {
                    byte[] bytes = FRAMES.encode(good(r, side));
                    bytes[2 + r.nextInt(8)] ^= (byte) (1 + r.nextInt(255));
                    return bytes;
                }),
                new Kind("another record type", Reason.UNKNOWN_SCHEMA, r -> SingleObjectCodec.classification().encode(Classification.newBuilder()
                        .setCameraId("door").setSequence(r.nextInt(1000)).setCaptureTime(java.time.Instant.EPOCH)
                        .setClassifiedTime(java.time.Instant.EPOCH).setModelName("m").setModelVersion(1)
                        .setTop(List.of(new LabelProbability("circle", 1f))).build())),
                new Kind("cut off", Reason.TRUNCATED, r -> {
                    byte[] bytes = FRAMES.encode(good(r, side));
                    return Arrays.copyOf(bytes, 10 + r.nextInt(bytes.length - 10));
                }),
                new Kind("pixels cut short", Reason.SHAPE_MISMATCH, r -> FRAMES.encode(withPixels(good(r, side), side * side - 1 - r.nextInt(side * side - 1)))),
                new Kind("more pixels than dimensions", Reason.SHAPE_MISMATCH, r -> FRAMES.encode(withPixels(good(r, side), side * side + 1 + r.nextInt(99)))),
                new Kind("zero side", Reason.SHAPE_MISMATCH, r -> {
                    Frame frame = good(r, side);
                    if (r.nextBoolean()) {
                        frame.setWidth(0);
                    } else {
                        frame.setHeight(-r.nextInt(100));
                    }
                    return FRAMES.encode(frame);
                }),
                new Kind("huge side", Reason.SHAPE_MISMATCH, r -> {
                    Frame frame = good(r, side);
                    frame.setWidth(16_385 + r.nextInt(Integer.MAX_VALUE - 16_385));
                    return FRAMES.encode(frame);
                }),
                new Kind("channels disagree with the pixel format", Reason.SHAPE_MISMATCH, r -> {
                    Frame frame = good(r, side);
                    frame.setChannels(3);
                    return FRAMES.encode(frame);
                }),
                new Kind("no pixels", Reason.EMPTY_PIXELS, r -> FRAMES.encode(withPixels(good(r, side), 0))),
                new Kind("tombstone", Reason.UNDECODABLE, r -> null));
        SplittableRandom random = new SplittableRandom(seed);
        List<Bad> bad = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Kind kind = kinds.get(i % kinds.size());
            bad.add(new Bad(kind.name(), kind.make().apply(random), kind.reason()));
        }
        return bad;
    }

    /** Bad versions of {@code serving}'s model, numbered from {@code firstVersion}: every way weights are refused. */
    static List<Bad> weights(Model serving, Model otherArchitecture, long firstVersion, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SingleObjectCodec<ModelWeights> codec = SingleObjectCodec.modelWeights();
        List<Bad> bad = new ArrayList<>();
        long version = firstVersion;
        for (int round = 0; round < 3; round++) {
            ModelWeights nan = TestModels.withValue(version(serving, version++), "fc1.weight", random.nextInt(12), Float.NaN);
            bad.add(new Bad("NaN weight", codec.encode(nan), Reason.NON_FINITE));
            ModelWeights inf = TestModels.withValue(version(serving, version++), "conv1.bias", 0,
                    random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
            bad.add(new Bad("infinite weight", codec.encode(inf), Reason.NON_FINITE));
            ModelWeights other = ModelWeights.newBuilder(ModelFile.toRecord(otherArchitecture)).setModelName(serving.name())
                    .setVersion(version++).build();
            bad.add(new Bad("another architecture", codec.encode(other), Reason.BAD_WEIGHTS));
            ModelWeights tampered = version(serving, version++);
            byte[] sha = tampered.getSha256().bytes().clone();
            sha[random.nextInt(sha.length)] ^= 1;
            tampered.setSha256(new Sha256(sha));
            bad.add(new Bad("checksum does not match", codec.encode(tampered), Reason.CHECKSUM_MISMATCH));
            byte[] whole = codec.encode(version(serving, version++));
            bad.add(new Bad("cut-off weights", Arrays.copyOf(whole, 20 + random.nextInt(whole.length - 20)), Reason.BAD_WEIGHTS));
            byte[] junk = new byte[64];
            random.nextBytes(junk);
            bad.add(new Bad("not a weights record", junk, Reason.BAD_WEIGHTS));
        }
        return bad;
    }

    private static ModelWeights version(Model serving, long version) {
        return ModelWeights.newBuilder(ModelFile.toRecord(serving)).setVersion(version).build();
    }

    private static Frame good(SplittableRandom random, int side) {
        return TestModels.frame("bad", random.nextInt(1_000_000), side, side, PixelFormat.GRAY8, random.nextLong(), "circle");
    }

    private static Frame withPixels(Frame frame, int length) {
        frame.setPixels(ByteBuffer.wrap(new byte[length]));
        return frame;
    }
}
