/** The command tree: {@code framestream ingest|classify|train|demo|evaluate|bench|broker}. */
package dev.framestream.app.cli;
