package dev.framestream.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConvolutionChoiceTest {

    @Test
    void parse_lowercaseOrUppercase_givesTheChoice() {
        assertEquals(ConvolutionChoice.WINOGRAD, ConvolutionChoice.parse("winograd"));
        assertEquals(ConvolutionChoice.GEMM, ConvolutionChoice.parse("GEMM"));
        assertEquals(ConvolutionChoice.AUTO, ConvolutionChoice.parse("Auto"));
    }

    @Test
    void parse_unknownValue_namesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvolutionChoice.parse("fft"));
        assertEquals("framestream.conv=fft is not a convolution method; use one of [auto, gemm, direct, winograd]", e.getMessage());
    }

    @Test
    void labels_areLowercase_asFlagsAndBenchmarkOutputWriteThem() {
        assertEquals(List.of("auto", "gemm", "direct", "winograd"), ConvolutionChoice.labels());
        assertEquals("direct", ConvolutionChoice.DIRECT.toString());
    }

    @Test
    void withConvolution_keepsTheKernelsAndSetsTheChoice() {
        Kernels kernels = Kernels.scalar().withConvolution(ConvolutionChoice.DIRECT);
        assertEquals("scalar", kernels.name());
        assertEquals(ConvolutionChoice.DIRECT, kernels.convolution());
    }
}
