/** {@code framestream keys}: the Ed25519 key pair that signs the trainer's versions for the classifier to verify. */
package dev.framestream.app.keys;
