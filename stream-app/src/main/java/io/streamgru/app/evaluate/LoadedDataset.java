package io.streamgru.app.evaluate;

import io.streamgru.model.online.SeriesDataset;
import java.util.List;

/**
 * Rows held in memory (a topic range {@code evaluate} read whole): the series ids, features and
 * targets, with the names of the keys, the key, feature and target columns or fields.
 */
public record LoadedDataset(SeriesDataset data, List<String> keyNames, String keyColumn, List<String> featureColumns,
                            String targetColumn) {

    /** Feeds every row to {@code run}, in order. */
    public void feed(EvaluationRun run) {
        int f = data.featureCount();
        double[] features = new double[f];
        for (int i = 0; i < data.rows(); i++) {
            System.arraycopy(data.features(), i * f, features, 0, f);
            run.accept(keyNames.get(data.series()[i]), features, data.targets()[i]);
        }
    }
}
