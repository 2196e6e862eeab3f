package dev.framestream.classifier.batching;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import dev.framestream.classifier.PendingFrame;
import dev.framestream.schemas.DeadLetters;

/**
 * The store where frames wait for their batch. Each entry is written to a changelog topic in the
 * same transaction as the input offsets it came from (exactly_once_v2), so a classifier killed
 * mid-batch restores every waiting frame and classifies it once.
 *
 * <p>An entry is the frame's position and key, not its pixels ({@link PendingFrame#encode()}): the
 * pixels are on the frames topic already, and a restored entry fetches them from there
 * ({@link FrameFetcher}). Writing each frame's bytes to the changelog as well doubled the bytes
 * the broker takes per frame and cost the classifier much of its throughput (measurements:
 * docs/benchmarks.md).
 *
 * <p>Keys are the frame's partition and offset, big-endian, so the store's byte order is the order
 * the frames were read: a batch takes the oldest first and a camera's frames stay in order.
 *
 * <p>The store is persistent (RocksDB), though a batch is small and the changelog alone makes it
 * durable: with a persistent store Kafka Streams keeps its process id in the state directory, and
 * the transactional id of exactly_once_v2 is made from it. A restarted classifier then has its
 * predecessor's transactional id, so its first transaction fences and aborts the one the crash
 * left open at once. With a fresh id per start the open transaction held back every read_committed
 * reader of its partitions (the restore of this store among them) until the broker timed it out,
 * 10 to 20 s later.
 */
public final class PendingFrames {
    public static final String STORE = "pending-frames";

    private PendingFrames() {
    }

    public static StoreBuilder<KeyValueStore<Bytes, PendingFrame>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), serde())
                .withLoggingEnabled(Map.of());
    }

    /** The store key of a frame read at {@code origin}. */
    static Bytes keyOf(DeadLetters.Origin origin) {
        return Bytes.wrap(ByteBuffer.allocate(12).putInt(origin.partition()).putLong(origin.offset()).array());
    }

    private static Serde<PendingFrame> serde() {
        Serializer<PendingFrame> serializer = (topic, frame) -> frame == null ? null : frame.encode();
        Deserializer<PendingFrame> deserializer = (topic, bytes) -> bytes == null ? null : PendingFrame.decode(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
