package dev.framestream.engine.layers;

import static dev.framestream.engine.kernels.Gemm.PANEL_WIDTH;

import java.util.List;

import dev.framestream.engine.Shape;
import dev.framestream.engine.kernels.ColumnPanels;
import dev.framestream.engine.kernels.Gemm;
import dev.framestream.engine.kernels.GemmDriver;
import dev.framestream.engine.kernels.RowPanels;
import dev.framestream.engine.parallel.WorkerPool;

/**
 * Fully connected layer: {@code y = x W^T + b}.
 *
 * <p>Shapes: input any {@code C x H x W}, read as a flat vector of {@code I = C·H·W}; weights
 * {@code O x I}; bias {@code O}; output {@code O}.
 *
 * <p>Forward is one GEMM for the whole batch, {@code [batch x I] x [I x O]}: the input rows are
 * packed as A per call, the transposed weights are packed once as B panels, and threads take
 * groups of 16 output features, so each weight is read once per batch.
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

    @Override
    public void forward(float[] in, float[] out, int batch, float[] scratch, WorkerPool pool) {
        RowPanels rows = new RowPanels(batch, gemm.mainPanelHeight());
        rows.pack(in, 0, inputs, scratch, 0);
        // Only the last panel can be narrower than 16 and use the tile, so one tile serves all threads.
        int tileOff = batch * inputs;
        pool.parallelFor(panels, (panel, worker) -> {
            int column = panel * PANEL_WIDTH;
            GemmDriver.multiplyPanel(gemm, scratch, 0, rows, inputs, packedWeight, column * inputs,
                    out, column, outputs, Math.min(PANEL_WIDTH, outputs - column),
                    GemmDriver.Init.COLUMN_BIAS, bias.values(), column, scratch, tileOff);
        });
    }
}
