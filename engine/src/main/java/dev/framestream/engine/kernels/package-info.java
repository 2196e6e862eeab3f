/**
 * The engine's hot loops. Each family is an interface with a plain {@code Scalar*} implementation
 * (the oracle the tests compare against, and the fallback where the Vector API is missing) and a
 * {@code Vector*} implementation on {@code jdk.incubator.vector}; {@link dev.framestream.engine.kernels.Kernels}
 * chooses once per JVM.
 *
 * <p>Layouts shared by all GEMM implementations: A (the left matrix) is packed in row panels of
 * height 6, 4, 2 or 1, each k-major ({@code a[k * height + row]}); B is packed in 16-column panels,
 * k-major ({@code b[k * 16 + column]}), zero-padded past the last column; C is row-major.
 */
package dev.framestream.engine.kernels;
