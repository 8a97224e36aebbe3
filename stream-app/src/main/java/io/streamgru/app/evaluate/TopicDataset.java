package io.streamgru.app.evaluate;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.history.HistoryBounds;
import io.streamgru.app.history.HistoryProgress;
import io.streamgru.app.history.HistoryRange;
import io.streamgru.app.history.HistoryRecord;
import io.streamgru.app.history.HistorySource;
import io.streamgru.app.history.PrefetchingHistory;
import io.streamgru.app.history.InvalidRecords;
import io.streamgru.app.input.RecordDecoder;
import io.streamgru.model.online.SeriesDataset;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A range of the input topics read into the table {@code evaluate} runs over: the records in the
 * history reader's event-time order (rows), grouped by series id, the configured features and
 * target. The same rows in a CSV file give the same evaluation. The whole range is held in memory
 * (the report needs every row); invalid records are skipped and counted.
 */
public final class TopicDataset {

    /** The rows, and the records skipped as invalid. */
    public record Read(LoadedDataset dataset, InvalidRecords invalid, HistoryBounds bounds) {
    }

    private TopicDataset() {
    }

    /** @param progress where the progress bar goes, or null */
    public static Read read(StreamGruConfig config, HistoryRange range, RecordDecoder decoder, PrintWriter progress) {
        Map<String, Object> kafka = ClientProperties.consumer(config);
        HistoryBounds bounds = HistorySource.resolve(kafka, config.input().topics(), range);
        int f = config.input().features().size();
        List<String> keyNames = new ArrayList<>();
        Map<String, Integer> keyIds = new HashMap<>();
        int[] series = new int[1024];
        double[] values = new double[1024 * Math.max(1, f)];
        double[] targets = new double[1024];
        int rows = 0;
        try (PrefetchingHistory source = new PrefetchingHistory(new HistorySource(kafka, bounds, decoder, f), f)) {
            HistoryProgress bar = progress == null ? null
                    : new HistoryProgress(progress, "evaluate: reading", bounds.records(), source::remaining);
            HistoryRecord r = new HistoryRecord(f);
            while (source.next(r)) {
                if (rows == targets.length) {
                    series = Arrays.copyOf(series, rows * 2);
                    values = Arrays.copyOf(values, rows * 2 * Math.max(1, f));
                    targets = Arrays.copyOf(targets, rows * 2);
                }
                Integer id = keyIds.get(r.seriesId());
                if (id == null) {
                    id = keyNames.size();
                    keyIds.put(r.seriesId(), id);
                    keyNames.add(r.seriesId());
                }
                series[rows] = id;
                System.arraycopy(r.features(), 0, values, rows * f, f);
                targets[rows] = r.target();
                rows++;
                if (bar != null) {
                    bar.recordDone(rows);
                }
            }
            if (bar != null) {
                bar.finish(rows);
            }
            SeriesDataset data = new SeriesDataset(Arrays.copyOf(series, rows), f, Arrays.copyOf(values, rows * f),
                    Arrays.copyOf(targets, rows));
            String key = config.input().key() != null ? config.input().key() : "record key";
            return new Read(new LoadedDataset(data, List.copyOf(keyNames), key, config.input().features(),
                    config.input().target()), source.invalid(), bounds);
        }
    }
}
