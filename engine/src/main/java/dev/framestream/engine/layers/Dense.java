package dev.framestream.engine.layers;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import java.util.List;

import dev.framestream.engine.kernels.ColumnPanels;
import dev.framestream.engine.kernels.Gemm;
import dev.framestream.engine.kernels.GemmDriver;
import dev.framestream.engine.kernels.RowPanelLayouts;
import dev.framestream.engine.kernels.RowPanels;
import dev.framestream.engine.parallel.ParallelTask;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Shape;

/**
 * Fully connected layer: {@code y = x W^T + b}.
 *
 * <p>Shapes: input any {@code C x H x W}, read as a flat vector of {@code I = C·H·W}; weights
 * {@code O x I}; bias {@code O}; output {@code O}.
 *
 * <p>Forward is one GEMM for the whole batch, {@code [batch x I] x [I x O]}: the input rows are
 * packed as A per call, the transposed weights are packed once as B panels, and threads take
 * groups of 16 output features, so each weight is read once per batch.
 *
 * <p>Backward over a range of n examples is two more GEMMs and a column sum:
 * {@code dW += dY^T · X} ({@code O x n} times {@code n x I}), {@code dX = dY · W}
 * ({@code n x O} times {@code O x I}, W packed as B panels once per step) and
 * {@code db += sum over examples of dY}.
 */
public final class Dense implements BatchLayer {
    private final String name;
    private final Shape input;
    private final int inputs;
    private final int outputs;
    private final Parameter weight;
    private final Parameter bias;
    private final Gemm gemm;
    private final float[] packedWeight;
    private final float[] weightPanels;
    private final RowPanels featureRows;     // dY^T as A in the weight gradient: one row per output feature
    private final RowPanelLayouts exampleRows;  // X as A forward, dY as A in the input gradient: one row per example
    private final int panels;

    public Dense(String name, Shape input, int outputs, Gemm gemm) {
        this.name = name;
        this.input = input;
        this.inputs = input.size();
        this.outputs = outputs;
        this.gemm = gemm;
        this.weight = new Parameter(name + ".weight", new int[] {outputs, inputs}, new float[outputs * inputs]);
        this.bias = new Parameter(name + ".bias", new int[] {outputs}, new float[outputs]);
        this.packedWeight = new float[ColumnPanels.packedSize(outputs, inputs)];
        this.weightPanels = new float[ColumnPanels.packedSize(inputs, outputs)];
        this.featureRows = new RowPanels(outputs, gemm.mainPanelHeight());
        this.exampleRows = new RowPanelLayouts(gemm.mainPanelHeight());
        this.panels = ColumnPanels.count(outputs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return "fc " + outputs;
    }

    @Override
    public Shape inputShape() {
        return input;
    }

    @Override
    public Shape outputShape() {
        return Shape.flat(outputs);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public void parametersChanged() {
        ColumnPanels.packTransposed(weight.values(), outputs, inputs, packedWeight);
    }

    @Override
    public long flopsPerExample() {
        return 2L * inputs * outputs;
    }

    @Override
    public int scratchFloats(int maxBatch) {
        return maxBatch * inputs + GemmDriver.tileSize(maxBatch);
    }

    /*
     * The loop body of a batch, kept per calling thread (several inferences may run this layer at
     * once) and refilled for each batch, so a batch allocates nothing.
     */
    private final ThreadLocal<PanelTask> tasks = ThreadLocal.withInitial(PanelTask::new);

    /** Output panels of one batch: what {@link #forward} hands the pool. */
    private final class PanelTask implements ParallelTask {
        private RowPanels rows;
        private float[] scratch;
        private float[] out;

        @Override
        public void run(int panel, int worker) {
            multiplyPanel(rows, scratch, out, 0, panel);
        }
    }

    @Override
    public void forward(float[] in, float[] out, int batch, float[] scratch, WorkerPool pool) {
        PanelTask task = tasks.get();
        task.rows = packRows(in, 0, batch, scratch);
        task.scratch = scratch;
        task.out = out;
        pool.parallelFor(panels, task);
        task.scratch = null;
        task.out = null;
    }

    @Override
    public void trainingForward(float[] in, float[] out, int from, int to, long seed, float[] scratch) {
        RowPanels rows = packRows(in, from, to - from, scratch);
        for (int panel = 0; panel < panels; panel++) {
            multiplyPanel(rows, scratch, out, from, panel);
        }
    }

    /** Packs {@code count} input rows into scratch. */
    private RowPanels packRows(float[] in, int from, int count, float[] scratch) {
        RowPanels rows = exampleRows.of(count);
        rows.pack(in, from * inputs, inputs, scratch, 0);
        return rows;
    }

    /** Output features {@code [16 panel, 16 panel + 16)} of the packed rows. */
    private void multiplyPanel(RowPanels rows, float[] scratch, float[] out, int from, int panel) {
        // Only the last panel can be narrower than 16 and use the tile, so one tile serves all threads.
        int column = panel * PANEL_WIDTH;
        GemmDriver.multiplyPanel(gemm, scratch, 0, rows, inputs, packedWeight, column * inputs,
                out, from * outputs + column, outputs, Math.min(PANEL_WIDTH, outputs - column),
                GemmDriver.Init.COLUMN_BIAS, bias.values(), column, scratch, rows.rows() * inputs);
    }

    @Override
    public int trainingScratchFloats(int examples) {
        int forward = scratchFloats(examples);
        int weightGradient = outputs * examples + examples * PANEL_WIDTH + GemmDriver.tileSize(outputs);
        int inputGradient = examples * outputs + GemmDriver.tileSize(examples);
        return Math.max(forward, weightGradient + inputGradient);
    }

    @Override
    public void prepareBackward() {
        ColumnPanels.pack(weight.values(), inputs, outputs, weightPanels);
    }

    @Override
    public void backward(float[] in, float[] out, float[] gradOut, float[] gradIn, int from, int to,
                         float[][] gradients, long seed, float[] scratch) {
        int count = to - from;
        float[] biasGrad = gradients[1];
        for (int e = from; e < to; e++) {
            for (int o = 0; o < outputs; o++) {
                biasGrad[o] += gradOut[e * outputs + o];
            }
        }
        // dW += dY^T · X: A is dY transposed (O rows, depth = the examples), B panels are 16 inputs of X.
        featureRows.packTransposed(gradOut, from * outputs, outputs, count, scratch, 0);
        int panelOff = outputs * count;
        int tileOff = panelOff + count * PANEL_WIDTH;
        for (int column = 0; column < inputs; column += PANEL_WIDTH) {
            int cols = Math.min(PANEL_WIDTH, inputs - column);
            ColumnPanels.packPanel(in, from * inputs + column, inputs, count, cols, scratch, panelOff);
            GemmDriver.multiplyPanel(gemm, scratch, 0, featureRows, count, scratch, panelOff,
                    gradients[0], column, inputs, cols, GemmDriver.Init.ACCUMULATE, null, 0, scratch, tileOff);
        }
        if (gradIn == null) {
            return;
        }
        // dX = dY · W: A is dY (the examples' rows, depth O), B the weights packed by prepareBackward.
        RowPanels gradientRows = exampleRows.of(count);
        int rowsOff = tileOff + GemmDriver.tileSize(outputs);
        gradientRows.pack(gradOut, from * outputs, outputs, scratch, rowsOff);
        int tile2Off = rowsOff + count * outputs;
        for (int column = 0; column < inputs; column += PANEL_WIDTH) {
            GemmDriver.multiplyPanel(gemm, scratch, rowsOff, gradientRows, outputs, weightPanels, column * outputs,
                    gradIn, from * inputs + column, inputs, Math.min(PANEL_WIDTH, inputs - column),
                    GemmDriver.Init.ZERO, null, 0, scratch, tile2Off);
        }
    }
}
