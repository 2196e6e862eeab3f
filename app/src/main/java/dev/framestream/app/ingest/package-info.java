/** {@code framestream ingest}: sources into the frame topics. */
package dev.framestream.app.ingest;
