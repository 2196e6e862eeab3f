package dev.framestream.engine.kernels;

import static dev.framestream.engine.kernels.Lanes.EVENS;
import static dev.framestream.engine.kernels.Lanes.L;
import static dev.framestream.engine.kernels.Lanes.ODDS;
import static dev.framestream.engine.kernels.Lanes.S;

import jdk.incubator.vector.FloatVector;

/**
 * The 3x3 depthwise row or flat plane on the Vector API, a vector of outputs at a time: the nine
 * weights broadcast once per call, then per vector nine multiply-adds into one accumulator and one
 * store, where a row of axpy calls per tap reads and writes the output row nine times. Stride 2
 * (MobileNet's down-sampling layers) loads each input row's two vectors once and splits them into
 * even and odd columns; the third tap is the even columns one further, a slice. Other strides,
 * and runs shorter than a vector, run the scalar loop.
 *
 * <p>Validated against {@link ScalarDepthwiseConv} by {@code DepthwiseConvTest}.
 */
public final class VectorDepthwiseConv implements DepthwiseConv {
    /* No vector crosses a call here (see VectorWidth for the one shape, and why). */

    /** A row is a flat run of its width: the same loops. */
    @Override
    public void row3x3(float[] src, int top, int rowStride, int stride, float[] w, int wOff, float bias, float[] out, int outOff, int width,
                       float floor) {
        flat3x3(src, top, rowStride, stride, w, wOff, bias, out, outOff, width, floor);
    }

    /**
     * The flat plane fills whole vectors where a row narrower than one (14 or 7 wide at 512 bits)
     * would run the scalar loop. A run that is not a whole number of vectors ends with a vector
     * moved back to end at its end: the same values again, where a scalar tail would be most of
     * the work on a 14-wide row.
     */
    @Override
    public void flat3x3(float[] src, int top, int rowStride, int stride, float[] w, int wOff, float bias, float[] dst, int dstOff, int n,
                        float floor) {
        if (n < L || stride > 2) {
            ScalarDepthwiseConv.flat3x3(src, top, rowStride, stride, w, wOff, bias, dst, dstOff, 0, n, floor);
            return;
        }
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wOff + 8]);
        if (stride == 1) {
            for (int step = 0; step < n; step += L) {
                int q = Math.min(step, n - L);
                int p = top + q;
                FloatVector acc = FloatVector.broadcast(S, bias);
                acc = w0.fma(FloatVector.fromArray(S, src, p), acc);
                acc = w1.fma(FloatVector.fromArray(S, src, p + 1), acc);
                acc = w2.fma(FloatVector.fromArray(S, src, p + 2), acc);
                p += rowStride;
                acc = w3.fma(FloatVector.fromArray(S, src, p), acc);
                acc = w4.fma(FloatVector.fromArray(S, src, p + 1), acc);
                acc = w5.fma(FloatVector.fromArray(S, src, p + 2), acc);
                p += rowStride;
                acc = w6.fma(FloatVector.fromArray(S, src, p), acc);
                acc = w7.fma(FloatVector.fromArray(S, src, p + 1), acc);
                acc = w8.fma(FloatVector.fromArray(S, src, p + 2), acc);
                acc.max(floor).intoArray(dst, dstOff + q);
            }
            return;
        }
        for (int step = 0; step < n; step += L) {
            int q = Math.min(step, n - L);
            int p = top + 2 * q;
            FloatVector acc = FloatVector.broadcast(S, bias);
            FloatVector low = FloatVector.fromArray(S, src, p);
            FloatVector high = FloatVector.fromArray(S, src, p + L);
            FloatVector evens = low.rearrange(EVENS, high);
            acc = w0.fma(evens, acc);
            acc = w1.fma(low.rearrange(ODDS, high), acc);
            acc = w2.fma(evens.slice(1, FloatVector.broadcast(S, src[p + 2 * L])), acc);
            p += rowStride;
            low = FloatVector.fromArray(S, src, p);
            high = FloatVector.fromArray(S, src, p + L);
            evens = low.rearrange(EVENS, high);
            acc = w3.fma(evens, acc);
            acc = w4.fma(low.rearrange(ODDS, high), acc);
            acc = w5.fma(evens.slice(1, FloatVector.broadcast(S, src[p + 2 * L])), acc);
            p += rowStride;
            low = FloatVector.fromArray(S, src, p);
            high = FloatVector.fromArray(S, src, p + L);
            evens = low.rearrange(EVENS, high);
            acc = w6.fma(evens, acc);
            acc = w7.fma(low.rearrange(ODDS, high), acc);
            acc = w8.fma(evens.slice(1, FloatVector.broadcast(S, src[p + 2 * L])), acc);
            acc.max(floor).intoArray(dst, dstOff + q);
        }
    }

    @Override
    public boolean prefersFlat(int width) {
        return width < L;
    }
}
