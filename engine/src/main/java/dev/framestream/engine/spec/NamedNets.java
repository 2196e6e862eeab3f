package dev.framestream.engine.spec;

import java.util.Locale;
import java.util.Optional;

import dev.framestream.engine.tensor.Shape;

/**
 * The well-known networks users bring, in the layouts of torchvision (and of the papers), written
 * as specs for any input size and class count: {@code RESNET18}, {@code RESNET8}, {@code MOBILENETV2},
 * {@code SQUEEZENET11} and {@code LENET5}. Every convolution carries a bias, which torchvision's
 * ResNet and MobileNet leave out before a batch norm (the batch norm cancels it; it is 0 there
 * after an import); the other weights match torchvision's one for one.
 */
final class NamedNets {

    private NamedNets() {
    }

    /** The default input and class count of each named net. */
    enum Net {
        RESNET18(new Shape(3, 224, 224), 1000),
        RESNET8(new Shape(3, 32, 32), 10),
        MOBILENETV2(new Shape(3, 224, 224), 1000),
        SQUEEZENET11(new Shape(3, 224, 224), 1000),
        LENET5(new Shape(1, 28, 28), 10);

        final Shape input;
        final int classes;

        Net(Shape input, int classes) {
            this.input = input;
            this.classes = classes;
        }

        static Optional<Net> named(String name) {
            try {
                return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** The spec text of {@code net} for {@code input} and {@code classes}. */
    static String text(Net net, Shape input, int classes) {
        Layers layers = new Layers(input);
        switch (net) {
            case RESNET18 -> resnet(layers, 64, new int[] {2, 2, 2, 2}, true);
            case RESNET8 -> resnet(layers, 16, new int[] {1, 1, 1}, false);
            case MOBILENETV2 -> mobileNetV2(layers);
            case SQUEEZENET11 -> squeezeNet11(layers, classes);
            case LENET5 -> layers.add("conv 6 5x5 pad 2 | batchnorm | relu | maxpool 2 | conv 16 5x5 | batchnorm | relu | maxpool 2"
                    + " | flatten | fc 120 | relu | fc 84 | relu");
        }
        if (net != Net.SQUEEZENET11) {
            layers.add("fc " + classes);
        }
        return layers.add("softmax").toString();
    }

    /**
     * ResNet with basic blocks: torchvision's stem (7x7/2 convolution, 3x3/2 max-pool) for
     * ImageNet-sized inputs, or a 3x3 convolution for 32x32 ones (He et al. 2016, section 4.2);
     * stages of {@code blocks[s]} blocks of width {@code width · 2^s}, each stage after the first
     * starting at stride 2 with a 1x1 convolution on the shortcut; a global average.
     */
    private static void resnet(Layers layers, int width, int[] blocks, boolean imageNetStem) {
        if (imageNetStem) {
            layers.add("conv " + width + " 7x7 stride 2 pad 3 | batchnorm | relu | maxpool 3 stride 2 pad 1");
        } else {
            layers.add("conv " + width + " 3x3 pad 1 | batchnorm | relu");
        }
        String in = layers.name();
        int channels = width;
        for (int stage = 0; stage < blocks.length; stage++) {
            int filters = width << stage;
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String shortcut = in;
                if (stride != 1 || channels != filters) {
                    layers.add("from " + in + " conv " + filters + " 1x1 stride " + stride + " | batchnorm");
                    shortcut = layers.name();
                    layers.add("from " + in + " conv " + filters + " 3x3 stride " + stride + " pad 1");
                } else {
                    layers.add("conv " + filters + " 3x3 pad 1");
                }
                layers.add("batchnorm | relu | conv " + filters + " 3x3 pad 1 | batchnorm | add " + shortcut + " | relu");
                in = layers.name();
                channels = filters;
            }
        }
        layers.add("globalavgpool | flatten");
    }

    /**
     * MobileNetV2 (Sandler et al. 2018) at width 1.0: a 3x3/2 convolution, the 17 inverted
     * residual blocks (1x1 expansion, depthwise 3x3, linear 1x1 projection, a sum where the shape
     * stays), a 1x1 convolution to 1280 channels, a global average and dropout 0.2.
     */
    private static void mobileNetV2(Layers layers) {
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
        layers.add("conv 32 3x3 stride 2 pad 1 | batchnorm | relu6");
        int channels = 32;
        for (int[] setting : settings) {
            int expansion = setting[0];
            int filters = setting[1];
            for (int b = 0; b < setting[2]; b++) {
                int stride = b == 0 ? setting[3] : 1;
                String in = layers.name();
                int hidden = channels * expansion;
                if (expansion != 1) {
                    layers.add("conv " + hidden + " 1x1 | batchnorm | relu6");
                }
                layers.add("conv " + hidden + " 3x3 stride " + stride + " pad 1 groups " + hidden + " | batchnorm | relu6"
                        + " | conv " + filters + " 1x1 | batchnorm");
                if (stride == 1 && channels == filters) {
                    layers.add("add " + in);
                }
                channels = filters;
            }
        }
        layers.add("conv 1280 1x1 | batchnorm | relu6 | globalavgpool | flatten | dropout 0.2");
    }

    /**
     * SqueezeNet 1.1 (Iandola et al. 2016; torchvision's squeezenet1_1): a 3x3/2 convolution, eight
     * fire modules between three ceil-mode 3x3/2 max-pools, and a classifier of dropout 0.5, a 1x1
     * convolution to the classes, ReLU and a global average.
     */
    private static void squeezeNet11(Layers layers, int classes) {
        layers.add("conv 64 3x3 stride 2 | relu | maxpool 3 stride 2 ceil");
        fire(layers, 16, 64);
        fire(layers, 16, 64);
        layers.add("maxpool 3 stride 2 ceil");
        fire(layers, 32, 128);
        fire(layers, 32, 128);
        layers.add("maxpool 3 stride 2 ceil");
        fire(layers, 48, 192);
        fire(layers, 48, 192);
        fire(layers, 64, 256);
        fire(layers, 64, 256);
        layers.add("dropout 0.5 | conv " + classes + " 1x1 | relu | globalavgpool | flatten");
    }

    /** A fire module: a 1x1 squeeze, then 1x1 and 3x3 expansions of {@code expand} filters each, concatenated in that order. */
    private static void fire(Layers layers, int squeeze, int expand) {
        layers.add("conv " + squeeze + " 1x1 | relu");
        String squeezed = layers.name();
        layers.add("conv " + expand + " 1x1 | relu");
        String ones = layers.name();
        layers.add("from " + squeezed + " conv " + expand + " 3x3 pad 1 | relu");
        String threes = layers.name();
        layers.add("concat " + ones + " " + threes);
    }

    /** Spec text under construction; {@link #name} names the last layer's output so a later layer can read it. */
    private static final class Layers {
        private final StringBuilder text = new StringBuilder();
        private int names;
        private String lastName = ArchitectureSpec.INPUT;

        Layers(Shape input) {
            text.append("in ").append(input.channels()).append('x').append(input.height()).append('x').append(input.width());
        }

        Layers add(String layers) {
            text.append(" | ").append(layers);
            lastName = null;
            return this;
        }

        /** A name for the output of the last layer added (the input before any). */
        String name() {
            if (lastName == null) {
                lastName = "v" + ++names;
                text.append(" as ").append(lastName);
            }
            return lastName;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
