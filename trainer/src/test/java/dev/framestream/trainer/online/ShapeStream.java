package dev.framestream.trainer.online;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import dev.framestream.engine.Network;
import dev.framestream.media.Image;
import dev.framestream.media.Shapes;
import dev.framestream.model.Model;
import dev.framestream.model.Preprocessing;
import dev.framestream.model.TrainingSummary;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.PixelFormat;

/** A labelled stream of drawn shapes (circle, square, triangle) and a small network that can learn them. */
final class ShapeStream {
    static final String NET = "in 1x16x16 | conv 8 3x3 | relu | maxpool 2 | conv 16 3x3 | relu | maxpool 2 | flatten | fc 3 | softmax";
    static final int SIDE = 24;

    private ShapeStream() {
    }

    /** Frame {@code sequence} of {@code camera}: a seeded shape, the same every time it is asked for. */
    static Frame frame(String camera, long sequence, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + sequence * 31 + camera.hashCode());
        int label = random.nextInt(Shapes.CLASSES.size());
        Image image = Shapes.draw(label, SIDE, random);
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + sequence * 33))
                .setWidth(image.width())
                .setHeight(image.height())
                .setChannels(image.format().channels())
                .setPixelFormat(PixelFormat.valueOf(image.format().name()))
                .setPixels(ByteBuffer.wrap(image.pixels()))
                .setTruth(Shapes.CLASSES.get(label))
                .setSource("shapes seed " + seed)
                .build();
    }

    /** Fresh random weights for the shape network, as {@code framestream train --online --net ...} starts. */
    static Model freshModel(String name, long seed) {
        Network network = Network.build(NET);
        network.initialise(seed);
        return new Model(name, 1, OptionalLong.empty(), Instant.now(), network, Shapes.CLASSES,
                Preprocessing.unitScale(network.inputShape()), TrainingSummary.none());
    }
}
