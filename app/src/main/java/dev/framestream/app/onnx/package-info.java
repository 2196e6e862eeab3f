/** {@code framestream onnx}: models to and from ONNX, so other runtimes serve ours and we serve theirs. */
package dev.framestream.app.onnx;
