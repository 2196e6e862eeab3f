package dev.framestream.onnx;

import java.util.Map;

import dev.framestream.engine.Network;

/**
 * An ONNX model as an engine network with its weights set, and the names its graph gave the input
 * and output tensors.
 *
 * @param network    the engine network; its spec is the ONNX graph in the engine's words
 * @param inputName  the graph input the frames go to
 * @param outputName the graph output the network's result is
 * @param opset      the default-domain operator set the model was written for
 * @param metadata   the model's metadata properties (framestream's export writes its class names there)
 */
public record OnnxModel(Network network, String inputName, String outputName, long opset, Map<String, String> metadata) {

    public OnnxModel {
        metadata = Map.copyOf(metadata);
    }
}
