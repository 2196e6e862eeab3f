/**
 * The architecture spec: the compact text that describes a network, travels with its weights, and
 * is parsed back into layer descriptions. Syntax in {@link dev.framestream.engine.spec.ArchitectureSpec}.
 */
package dev.framestream.engine.spec;
