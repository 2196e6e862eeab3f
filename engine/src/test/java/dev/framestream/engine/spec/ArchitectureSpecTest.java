package dev.framestream.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.framestream.engine.tensor.Shape;

class ArchitectureSpecTest {

    @Test
    void parsesEveryLayerKindWithOptions() {
        ArchitectureSpec spec = ArchitectureSpec.parse(
                "in 3x32x32 | conv 16 3x3 pad same | RELU | conv 8 5 stride 2 pad 2 | maxpool 2 | avgpool 3 stride 1"
                        + " | flatten | dropout 0.25 | dense 64 | fc 10 | softmax");
        assertEquals(new Shape(3, 32, 32), spec.input());
        assertEquals(List.of(
                new LayerSpec.Conv(16, 3, 3, 1, 1), new LayerSpec.Relu(), new LayerSpec.Conv(8, 5, 5, 2, 2),
                new LayerSpec.Pool(true, 2, 2), new LayerSpec.Pool(false, 3, 1), new LayerSpec.Flatten(),
                new LayerSpec.Dropout(0.25), new LayerSpec.Dense(64), new LayerSpec.Dense(10), new LayerSpec.Softmax()),
                spec.layers());
    }

    @Test
    void parsesActivationsAndPoolingOptions() {
        ArchitectureSpec spec = ArchitectureSpec.parse("in 3x32x32 | relu6 | clip -1 2.5 | leakyrelu 0.01 | sigmoid"
                + " | maxpool 3 stride 2 pad 1 | avgpool 3 stride 2 ceil | MaxPool 2 ceil pad 1 | globalavgpool");
        assertEquals(List.of(LayerSpec.Clip.RELU6, new LayerSpec.Clip(-1f, 2.5f), new LayerSpec.LeakyRelu(0.01f),
                new LayerSpec.Sigmoid(), new LayerSpec.Pool(true, 3, 2, 1, false), new LayerSpec.Pool(false, 3, 2, 0, true),
                new LayerSpec.Pool(true, 2, 2, 1, true), new LayerSpec.GlobalAveragePool()), spec.layers());
        assertEquals("in 3x32x32 | relu6 | clip -1 2.5 | leakyrelu 0.01 | sigmoid | maxpool 3 stride 2 pad 1"
                + " | avgpool 3 stride 2 ceil | maxpool 2 pad 1 ceil | globalavgpool", spec.toString());
        assertEquals(spec, ArchitectureSpec.parse(spec.toString()));
        assertEquals("relu6", new LayerSpec.Clip(0f, 6f).toString());
        ArchitectureSpec norms = ArchitectureSpec.parse("in 3x8x8 | batchnorm | batchnorm eps 0.001 momentum 0.01 | batchnorm eps 1e-5");
        assertEquals(List.of(new LayerSpec.BatchNorm(), new LayerSpec.BatchNorm(0.001f, 0.01f), new LayerSpec.BatchNorm()), norms.layers());
        assertEquals("in 3x8x8 | batchnorm | batchnorm eps 0.001 momentum 0.01 | batchnorm", norms.toString());
        ArchitectureSpec depthwise = ArchitectureSpec.parse("in 32x16x16 | conv 32 3x3 pad 1 groups 32 | conv 64 3x3 stride 2 groups 2");
        assertEquals(List.of(new LayerSpec.Conv(32, 3, 3, 1, 1, 32), new LayerSpec.Conv(64, 3, 3, 2, 0, 2)), depthwise.layers());
        assertEquals(depthwise, ArchitectureSpec.parse(depthwise.toString()));
    }

    @Test
    void canonicalTextParsesBackToTheSameSpec() {
        for (String name : List.of("DIGITS", "CAMERA")) {
            ArchitectureSpec spec = ArchitectureSpec.of(name);
            assertEquals(spec, ArchitectureSpec.parse(spec.toString()));
        }
        assertEquals(ReferenceNets.DIGITS, ArchitectureSpec.of("digits").toString());
    }

    @Test
    void namedOutputsAndJoinsWireAGraph() {
        ArchitectureSpec spec = ArchitectureSpec.parse("in 16x8x8 | add in in | relu as x | conv 16 3x3 pad 1 | relu"
                + " | conv 16 3x3 pad 1 | add x | conv 4 1x1 | relu as s | conv 8 1x1 | relu as e1 | from s conv 8 3x3 pad 1"
                + " | relu as e3 | concat e1 e3");
        assertEquals(List.of(List.of(0, 0), List.of(1), List.of(2), List.of(3), List.of(4), List.of(5, 2), List.of(6), List.of(7),
                List.of(8), List.of(9), List.of(8), List.of(11), List.of(10, 12)),
                spec.nodes().stream().map(ArchitectureSpec.Node::inputs).toList());
        assertEquals(new LayerSpec.Add(), spec.layers().get(5));
        assertEquals(new LayerSpec.Concat(), spec.layers().get(12));
        assertTrue(!spec.isChain());
        assertEquals(spec, ArchitectureSpec.parse(spec.toString()), "the canonical text parses back: " + spec);
        assertTrue(spec.toString().contains("| add x |") && spec.toString().contains("| from s conv 8 3x3 pad 1 |"), spec.toString());
        assertTrue(ArchitectureSpec.of("DIGITS").isChain());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "in 4x8x8 | relu as x | conv 4 3x3 pad 1 | add y;46;no earlier layer is named \"y\"",
            "in 4x8x8 | relu as x | relu as x;31;already taken",
            "in 4x8x8 | relu as;16;\"as\" needs a name",
            "in 4x8x8 | relu as 1x;19;not a name",
            "in 4x8x8 | relu as x | from x;29;needs a layer after it",
            "in 4x8x8 | relu as x | from x add in;23;a join names what it reads",
            "in 4x8x8 | relu as x | add;26;needs a name of an output to join",
            "in 4x8x8 | relu | from in relu;11;is never read",
    })
    void graphMistakesPointAtTheBadToken(String text, int position, String message) {
        errorsPointAtTheBadToken(text, position, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "in 1x28x28 | convv 8 5x5;13;unknown layer \"convv\"",
            "in 1x28x28 | conv 8 5y5;20;expected a whole number",
            "in 1x28x28 | conv 0 5x5;18;at least 1",
            "in 1x28x28 | conv 8;19;needs a kernel size",
            "in 1x28x28 | conv 8 3x3 strid 2;24;unknown conv option \"strid\"",
            "in 1x28x28 | relu 3;18;unexpected \"3\" after relu",
            "in 1x28x28 | clip 6 0;20;must be above the lower bound",
            "in 1x28x28 | clip 0 six;20;expected a number",
            "in 1x28x28 | clip 0;19;needs a maximum",
            "in 1x28x28 | leakyrelu 1.5;23;slope must be in [0, 1)",
            "in 1x28x28 | maxpool 3 pad 2;27;more than half the window",
            "in 1x28x28 | maxpool 3 floor;23;expected stride, pad or ceil",
            "in 1x28x28 | batchnorm eps 0;27;eps must be above 0",
            "in 1x28x28 | batchnorm momentum 2;32;momentum must be in (0, 1]",
            "in 1x28x28 | batchnorm gamma 1;23;expected eps or momentum",
            "in 1x28x28 | conv 8 3x3 groups 3;31;8 filters do not split into 3 groups",
            "in 1x28 | relu;3;expected CxHxW",
            "conv 8 5x5 | relu;0;starts with the input shape",
            "in 1x28x28 || relu;12;empty layer",
            "in 1x28x28 | dropout 1.5;21;dropout rate must be a number in [0, 1)",
            "in 1x28x28 | conv 8 4x4 pad same;28;pad same needs a square odd kernel",
            "in 1x28x28 | maxpool 2 size 3;23;expected stride",
    })
    void errorsPointAtTheBadToken(String text, int position, String message) {
        SpecParseException error = assertThrows(SpecParseException.class, () -> ArchitectureSpec.parse(text));
        assertTrue(error.getMessage().contains(message), error.getMessage());
        assertEquals(position, error.position(), error.getMessage());
        String caretLine = error.getMessage().lines().toList().get(2);
        assertEquals(position + 2, caretLine.indexOf('^'), "the caret sits under the token:\n" + error.getMessage());
    }
}
