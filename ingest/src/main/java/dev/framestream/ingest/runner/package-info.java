/**
 * Runs ingest: {@link dev.framestream.ingest.runner.CameraIngest} reads one camera's source, paces,
 * gates and shapes its frames and publishes them; {@link dev.framestream.ingest.runner.IngestRunner}
 * runs every camera of a configuration, restarting a failed source. The package root holds the
 * settings and meters these share with {@code sources} and {@code publish}, so the arrows run one way.
 */
package dev.framestream.ingest.runner;
