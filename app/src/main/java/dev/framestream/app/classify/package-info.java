/** {@code framestream classify}: the classifier service from the command line. */
package dev.framestream.app.classify;
