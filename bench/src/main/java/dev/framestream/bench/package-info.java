/** Benchmarks that print figures: {@code framestream bench engine}. Numbers live here, never in tests. */
package dev.framestream.bench;
