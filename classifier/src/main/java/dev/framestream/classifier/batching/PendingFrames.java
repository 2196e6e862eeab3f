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

import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.TopicNames;

/**
 * The store where frames wait for their batch. Each entry is written to a changelog topic in the
 * same transaction as the input offsets it came from (exactly_once_v2), so a classifier killed
 * mid-batch restores every waiting frame and classifies it once.
 *
 * <p>Keys are the frame's partition and offset, big-endian, so the store's byte order is the order
 * the frames were read: a batch takes the oldest first and a camera's frames stay in order. The
 * store lives in memory (a batch is small; the changelog makes it durable), and its changelog
 * takes records as large as the largest frame.
 */
public final class PendingFrames {
    public static final String STORE = "pending-frames";

    private PendingFrames() {
    }

    public static StoreBuilder<KeyValueStore<Bytes, PendingFrame>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.Bytes(), serde())
                .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(TopicNames.MAX_FRAME_BYTES + 64 * 1024)));
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
