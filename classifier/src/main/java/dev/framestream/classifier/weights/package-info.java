/** Which model version serves: weights are validated off the hot path and swapped in between batches. */
package dev.framestream.classifier.weights;
