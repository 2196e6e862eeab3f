package dev.framestream.engine.kernels;

import dev.framestream.engine.spec.LayerSpec;
import dev.framestream.engine.tensor.Shape;

/** The shape of a grouped convolution, as its forward and backward passes both walk it: groups, windows, planes. */
final class GroupGeometry {
    final int groups;
    final int groupChannels;
    final int groupFilters;
    final int height;
    final int width;
    final int pad;
    final int kernelHeight;
    final int kernelWidth;
    final int stride;
    final int outHeight;
    final int outWidth;
    /** One group's channels with the zero border. */
    final PaddedInput padded;

    GroupGeometry(Shape input, LayerSpec.Conv conv) {
        this.groups = conv.groups();
        this.groupChannels = input.channels() / groups;
        this.groupFilters = conv.filters() / groups;
        this.height = input.height();
        this.width = input.width();
        this.pad = conv.pad();
        this.kernelHeight = conv.kernelHeight();
        this.kernelWidth = conv.kernelWidth();
        this.stride = conv.stride();
        this.outHeight = (height + 2 * pad - kernelHeight) / stride + 1;
        this.outWidth = (width + 2 * pad - kernelWidth) / stride + 1;
        this.padded = new PaddedInput(new Shape(groupChannels, height, width), pad);
    }

    /** Values of the weights: {@code F x C/G x KH x KW}. */
    int weights() {
        return groups * groupFilters * groupChannels * kernelHeight * kernelWidth;
    }
}
