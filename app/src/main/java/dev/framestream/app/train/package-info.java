/** {@code framestream train}: offline training from files, with progress bars and a summary. */
package dev.framestream.app.train;
