/** Frames wait in a changelogged store until their micro-batch is full or due. */
package dev.framestream.classifier.batching;
