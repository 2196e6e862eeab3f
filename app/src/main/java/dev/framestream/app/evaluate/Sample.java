package dev.framestream.app.evaluate;

import dev.framestream.media.Image;

/**
 * One replayed frame: where it came from (a file and index, or topic-partition@offset), its
 * pixels, and its true class when the source knows it (else null).
 */
record Sample(String id, Image image, String truth) {
}
