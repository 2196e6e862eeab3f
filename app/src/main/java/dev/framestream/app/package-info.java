/**
 * The {@code framestream} command: one picocli tree over every service ({@code cli}) and the
 * benchmarks ({@code bench}). Nothing depends on this module.
 */
package dev.framestream.app;
