/** Kafka plumbing of the command line: the embedded broker command, topic creation, client settings. */
package dev.framestream.app.kafka;
