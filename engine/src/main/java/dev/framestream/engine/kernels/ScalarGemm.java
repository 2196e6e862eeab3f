package dev.framestream.engine.kernels;

/** The plain GEMM: the oracle for {@link VectorGemm} and the fallback without the Vector API. */
public final class ScalarGemm implements Gemm {

    @Override
    public int mainPanelHeight() {
        return 4;
    }

    @Override
    public void multiply(float[] a, int aOff, int rows, float[] b, int bOff, int depth, float[] c, int cOff, int ldc, boolean add) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < PANEL_WIDTH; j++) {
                float sum = add ? c[cOff + i * ldc + j] : 0f;
                for (int k = 0; k < depth; k++) {
                    sum += a[aOff + k * rows + i] * b[bOff + k * PANEL_WIDTH + j];
                }
                c[cOff + i * ldc + j] = sum;
            }
        }
    }
}
