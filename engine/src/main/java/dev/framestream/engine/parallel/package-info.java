/** The engine's one fixed pool of worker threads, shared by every caller of the engine. */
package dev.framestream.engine.parallel;
