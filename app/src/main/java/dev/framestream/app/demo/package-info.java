/** {@code framestream demo}: broker, ingest, classifier and online trainer in one process, with a live status block. */
package dev.framestream.app.demo;
