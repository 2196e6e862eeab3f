/** One micro-batch through one model version: fit check, preprocessing, the engine, top-k verdicts. */
package dev.framestream.classifier.inference;
