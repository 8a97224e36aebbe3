package io.streamgru.app.evaluate;

import io.streamgru.app.input.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a report is cut and drawn. {@code windowRows} 0 means a tenth of the rows (rounded up);
 * an empty {@code plotKeys} means the first {@link #DEFAULT_PLOT_KEYS} keys in order of appearance.
 */
public record ReportOptions(int windowRows, List<String> plotKeys, int plotPoints, double mapeEpsilon) {

    /** Every PNG is this wide and high, in pixels. */
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 400;
    public static final int DEFAULT_WINDOWS = 10;
    public static final int DEFAULT_PLOT_KEYS = 3;
    public static final int DEFAULT_PLOT_POINTS = 500;
    public static final double DEFAULT_MAPE_EPSILON = 1e-9;

    public ReportOptions {
        if (windowRows < 0) {
            throw new InputException("--report-window must be >= 1, not " + windowRows);
        }
        if (plotPoints < 1) {
            throw new InputException("--plot-points must be >= 1, not " + plotPoints);
        }
        if (!(mapeEpsilon >= 0) || Double.isInfinite(mapeEpsilon)) {
            throw new InputException("--mape-epsilon must be a finite number >= 0, not " + mapeEpsilon);
        }
        plotKeys = List.copyOf(plotKeys);
    }

    public static ReportOptions defaults() {
        return new ReportOptions(0, List.of(), DEFAULT_PLOT_POINTS, DEFAULT_MAPE_EPSILON);
    }

    /** The rows per window for a table of {@code rows} rows. */
    public int windowRowsFor(int rows) {
        return windowRows > 0 ? windowRows : Math.max(1, (rows + DEFAULT_WINDOWS - 1) / DEFAULT_WINDOWS);
    }

    /** The key ids to plot, checked against {@code keyNames}. */
    public List<Integer> plotKeyIds(List<String> keyNames) {
        List<Integer> ids = new ArrayList<>();
        if (plotKeys.isEmpty()) {
            for (int k = 0; k < Math.min(DEFAULT_PLOT_KEYS, keyNames.size()); k++) {
                ids.add(k);
            }
            return ids;
        }
        for (String key : plotKeys) {
            int id = keyNames.indexOf(key);
            if (id < 0) {
                throw new InputException("--plot-keys: no key '" + key + "' in the data; keys: "
                        + String.join(", ", keyNames.subList(0, Math.min(20, keyNames.size())))
                        + (keyNames.size() > 20 ? ", …" : ""));
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
