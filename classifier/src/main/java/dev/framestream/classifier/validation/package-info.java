/** The first step: a record's bytes become an accepted frame or a dead letter with its reason. */
package dev.framestream.classifier.validation;
