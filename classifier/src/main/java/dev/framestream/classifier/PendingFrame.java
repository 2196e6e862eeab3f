package dev.framestream.classifier;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.RecordDecodingException;
import dev.framestream.schemas.SingleObjectCodec;

/**
 * A validated frame on its way to a batch: the decoded frame, its record's bytes exactly as read,
 * and where it was read from, so a frame refused later (it does not fit the model that serves its
 * batch) still goes to the dead-letter topic whole and with its origin.
 *
 * <p>The batch store keeps only the position, camera and key ({@link #encode()}): the frame's
 * bytes are already durable on the frames topic at {@link #origin()}, so a restored entry fetches
 * them from there ({@link #restored}) instead of writing every frame a second time to a changelog.
 *
 * @param key   the record key's bytes (the camera id), or null
 * @param value the Frame record's bytes, or null in an entry read back from the store
 * @param frame {@code value} decoded, or null in an entry read back from the store
 */
public record PendingFrame(DeadLetters.Origin origin, String cameraId, byte[] key, byte[] value, Frame frame) {
    private static final SingleObjectCodec<Frame> FRAMES = SingleObjectCodec.frame();

    /**
     * This store entry made whole again with the record's bytes fetched back from its topic.
     *
     * @throws RecordDecodingException if the bytes there are no longer the Frame that was validated
     */
    public PendingFrame restored(byte[] bytes) {
        return new PendingFrame(origin, cameraId, key, bytes, FRAMES.decode(bytes));
    }

    /** The store's value format: topic, partition, offset, camera id and key, length-prefixed; no value. */
    public byte[] encode() {
        byte[] topic = origin.topic().getBytes(StandardCharsets.UTF_8);
        byte[] camera = cameraId.getBytes(StandardCharsets.UTF_8);
        int keyLength = key == null ? -1 : key.length;
        ByteBuffer out = ByteBuffer.allocate(4 + topic.length + 4 + 8 + 4 + camera.length + 4 + Math.max(0, keyLength));
        out.putInt(topic.length).put(topic).putInt(origin.partition()).putLong(origin.offset());
        out.putInt(camera.length).put(camera);
        out.putInt(keyLength);
        if (key != null) {
            out.put(key);
        }
        return out.array();
    }

    public static PendingFrame decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String topic = new String(take(in, in.getInt()), StandardCharsets.UTF_8);
        DeadLetters.Origin origin = new DeadLetters.Origin(topic, in.getInt(), in.getLong());
        String camera = new String(take(in, in.getInt()), StandardCharsets.UTF_8);
        int keyLength = in.getInt();
        byte[] key = keyLength < 0 ? null : take(in, keyLength);
        return new PendingFrame(origin, camera, key, null, null);
    }

    private static byte[] take(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
