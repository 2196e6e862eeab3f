package dev.framestream.trainer.online;

import dev.framestream.media.Image;

/**
 * One labelled frame as the learner keeps it: its pixels already framed to the model's input
 * size (uint8, a quarter of the floats), its class index, and where it came from.
 */
public record Example(Image framed, int label, String camera, long sequence) {
}
