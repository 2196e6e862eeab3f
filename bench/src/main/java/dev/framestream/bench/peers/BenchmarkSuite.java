package dev.framestream.bench.peers;

import java.util.List;

/**
 * The networks {@code bench compare --suite} measures, and at which batch sizes: the two the
 * engine was first tuned for, the small nets users train themselves, and the torchvision nets
 * they import, at the sizes people serve them.
 */
public final class BenchmarkSuite {
    /** A VGG-style net for 32x32 colour images: two 3x3 convolutions per stage, 16 then 32 filters, a global average pool. */
    public static final String VGG = "in 3x32x32 | conv 16 3x3 pad 1 | relu | conv 16 3x3 pad 1 | relu | maxpool 2"
            + " | conv 32 3x3 pad 1 | relu | conv 32 3x3 pad 1 | relu | globalavgpool | flatten | fc 10 | softmax";

    /** One network of the suite: how it is shown, its spec or name, its batch sizes. */
    public record Entry(String label, String net, List<Integer> batches) {
    }

    private static final List<Integer> SMALL = List.of(1, 32);
    private static final List<Integer> LARGE = List.of(1, 16);   // 224x224: what fits a camera's latency budget

    public static final List<Entry> ENTRIES = List.of(
            new Entry("DIGITS", "DIGITS", SMALL),
            new Entry("CAMERA", "CAMERA", SMALL),
            new Entry("LENET5", "LENET5", SMALL),
            new Entry("VGG-style 3x32x32", VGG, SMALL),
            new Entry("RESNET8", "RESNET8", SMALL),
            new Entry("RESNET18 3x64x64", "RESNET18 in 3x64x64", SMALL),
            new Entry("RESNET18 3x224x224", "RESNET18 in 3x224x224", LARGE),
            new Entry("MOBILENETV2 3x224x224", "MOBILENETV2 in 3x224x224", LARGE),
            new Entry("SQUEEZENET11 3x224x224", "SQUEEZENET11 in 3x224x224", LARGE));

    private BenchmarkSuite() {
    }
}
