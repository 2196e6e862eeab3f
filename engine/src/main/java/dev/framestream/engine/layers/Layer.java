package dev.framestream.engine.layers;

import java.util.List;

import dev.framestream.engine.Shape;

/** One layer of a network, with fixed input and output shapes. */
public sealed interface Layer permits ExampleLayer, BatchLayer {

    /** Unique name within the network, e.g. {@code conv1}; parameter names start with it. */
    String name();

    /** The spec text that builds this layer, e.g. {@code conv 8 5x5}. */
    String spec();

    Shape inputShape();

    Shape outputShape();

    /** The layer's learnable tensors; empty for layers without any. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Called after a parameter's values changed, so derived forms (packed weights) follow. */
    default void parametersChanged() {
    }

    /** Floating-point operations of one example's forward pass, a multiply-add counting two. */
    default long flopsPerExample() {
        return 0;
    }
}
