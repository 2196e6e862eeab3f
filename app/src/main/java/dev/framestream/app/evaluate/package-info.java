/**
 * {@code framestream evaluate}: replays a recording, a folder or a topic range through one model
 * version (or two, side by side) and writes a report: {@code ReplaySource} yields the frames,
 * {@code ModelSource} finds the model, {@code ModelRun} batches frames through it, {@code Scores}
 * turns predictions into figures, {@code ReportWriter} and {@code Plots} write them.
 */
package dev.framestream.app.evaluate;
