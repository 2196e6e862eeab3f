package dev.framestream.engine.kernels;

import java.util.Arrays;

/**
 * The {@link RowPanels} of every row count for one main height, each made once: a layer whose row
 * count changes between calls (examples per chunk, per batch) asks for it per call, and a warm
 * batch must not allocate. Safe to share between threads; {@link RowPanels} is immutable.
 */
public final class RowPanelLayouts {
    private final int mainHeight;
    private volatile RowPanels[] byRows = new RowPanels[0];

    public RowPanelLayouts(int mainHeight) {
        this.mainHeight = mainHeight;
    }

    /** The panels of {@code rows} rows. */
    public RowPanels of(int rows) {
        RowPanels[] known = byRows;
        return rows < known.length && known[rows] != null ? known[rows] : add(rows);
    }

    private synchronized RowPanels add(int rows) {
        RowPanels[] known = byRows;
        if (rows < known.length && known[rows] != null) {
            return known[rows];
        }
        RowPanels[] grown = Arrays.copyOf(known, Math.max(known.length, rows + 1));
        grown[rows] = new RowPanels(rows, mainHeight);
        byRows = grown;
        return grown[rows];
    }
}
