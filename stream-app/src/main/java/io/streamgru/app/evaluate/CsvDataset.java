package io.streamgru.app.evaluate;

import io.streamgru.model.online.SeriesDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A CSV file turned into series: the target and feature columns parsed, rows grouped by key. */
public record CsvDataset(SeriesDataset data, List<String> keyNames, String keyColumn, List<String> featureColumns,
                         String targetColumn) {

    /**
     * Reads {@code file}; {@code key} may be null (one series). Every named column must exist, and
     * every cell of them must be numeric or empty.
     */
    public static CsvDataset read(Path file, String target, List<String> features, String key) {
        CsvTable table = CsvTable.read(file);
        int targetCol = table.column(target);
        int[] featureCols = new int[features.size()];
        for (int j = 0; j < featureCols.length; j++) {
            featureCols[j] = table.column(features.get(j));
            if (featureCols[j] == targetCol) {
                throw new InputException("column '" + target + "' is the target; list it in --features only via "
                        + "the autoregressive input (on by default when forecasting)");
            }
        }
        int rows = table.rowCount();
        List<String> keyNames = new ArrayList<>();
        int[] series;
        if (key == null) {
            series = new int[rows];
            keyNames.add("");
        } else {
            series = table.ids(table.column(key), keyNames);
        }
        int f = featureCols.length;
        double[] values = new double[rows * f];
        double[] targets = new double[rows];
        for (int r = 0; r < rows; r++) {
            targets[r] = table.number(r, targetCol);
            for (int j = 0; j < f; j++) {
                values[r * f + j] = table.number(r, featureCols[j]);
            }
        }
        return new CsvDataset(new SeriesDataset(series, f, values, targets), List.copyOf(keyNames), key,
                List.copyOf(features), target);
    }
}
