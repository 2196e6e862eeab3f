package dev.framestream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class FrameChecksTest {

    private static Frame frame(int width, int height, int channels, PixelFormat format, int bytes) {
        return Frame.newBuilder().setCameraId("door").setSequence(7).setCaptureTime(Instant.ofEpochMilli(1))
                .setWidth(width).setHeight(height).setChannels(channels).setPixelFormat(format)
                .setPixels(ByteBuffer.wrap(new byte[bytes])).build();
    }

    @Test
    void aConsistentFrameHasNoProblem() {
        assertTrue(FrameChecks.problem(frame(4, 3, 3, PixelFormat.BGR8, 36)).isEmpty());
        assertTrue(FrameChecks.problem(frame(4, 3, 1, PixelFormat.GRAY8, 12)).isEmpty());
    }

    @Test
    void noPixelsIsEmptyPixels() {
        assertEquals(Reason.EMPTY_PIXELS, FrameChecks.problem(frame(4, 3, 3, PixelFormat.BGR8, 0)).orElseThrow().reason());
    }

    @Test
    void aLengthThatDisagreesWithTheDimensionsIsAShapeMismatchThatNamesBoth() {
        FrameChecks.Problem problem = FrameChecks.problem(frame(4, 3, 3, PixelFormat.BGR8, 35)).orElseThrow();
        assertEquals(Reason.SHAPE_MISMATCH, problem.reason());
        assertTrue(problem.message().contains("4x3x3 = 36 bytes but carries 35"), problem.message());
        assertTrue(problem.message().contains("camera \"door\""), problem.message());
    }

    @Test
    void channelsThatDisagreeWithThePixelFormatAreAShapeMismatch() {
        assertEquals(Reason.SHAPE_MISMATCH, FrameChecks.problem(frame(4, 3, 1, PixelFormat.BGR8, 12)).orElseThrow().reason());
    }

    @Test
    void zeroNegativeOrHugeSidesAreAShapeMismatch() {
        assertEquals(Reason.SHAPE_MISMATCH, FrameChecks.problem(frame(0, 3, 1, PixelFormat.GRAY8, 1)).orElseThrow().reason());
        assertEquals(Reason.SHAPE_MISMATCH, FrameChecks.problem(frame(4, -3, 1, PixelFormat.GRAY8, 1)).orElseThrow().reason());
        assertEquals(Reason.SHAPE_MISMATCH, FrameChecks.problem(frame(1, FrameChecks.MAX_SIDE + 1, 1, PixelFormat.GRAY8, 1)).orElseThrow().reason());
    }

    @Test
    void aDeadLetterKeepsTheOriginAndTheBytes() {
        DeadLetter letter = DeadLetters.of("classifier", new DeadLetters.Origin("frames", 2, 41), Reason.TRUNCATED, "cut off",
                new byte[] {1}, new byte[] {2, 3}, Instant.ofEpochMilli(5));
        assertEquals("frames", letter.getOriginTopic());
        assertEquals(2, letter.getOriginPartition());
        assertEquals(41, letter.getOriginOffset());
        assertEquals(ByteBuffer.wrap(new byte[] {2, 3}), letter.getOriginalValue());
        assertEquals(Reason.TRUNCATED, DeadLetters.reasonFor(RecordDecodingException.Problem.TRUNCATED));
    }
}
