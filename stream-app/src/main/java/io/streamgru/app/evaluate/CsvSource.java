package io.streamgru.app.evaluate;

import io.streamgru.app.input.InputException;
import io.streamgru.app.input.InputValues;
import io.streamgru.app.input.InvalidRecordException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file as {@code evaluate}'s input, streamed: {@link #open} reads the header (the named
 * columns must exist) and then the file once without parsing numbers, to count its rows (the
 * report's windows and the "last 10 %" are cut by row number) and, when keys to plot are named, to
 * check they occur. {@link #feed} then reads it again, row by row, into an {@link EvaluationRun}.
 * Memory: one row at a time.
 */
public final class CsvSource {

    /** The keys listed when a key to plot is not in the file. */
    private static final int KEYS_SHOWN = 20;

    private final Path file;
    private final String targetColumn;
    private final List<String> featureColumns;
    private final String keyColumn;
    private final long rows;

    private CsvSource(Path file, String target, List<String> features, String key, long rows) {
        this.file = file;
        this.targetColumn = target;
        this.featureColumns = List.copyOf(features);
        this.keyColumn = key;
        this.rows = rows;
    }

    /**
     * Checks the columns ({@code key} may be null: one series) and counts the rows; with {@code
     * options} naming keys to plot, each must occur in the key column (else the same error as
     * {@link ReportOptions#plotKeyIds}).
     */
    public static CsvSource open(Path file, String target, List<String> features, String key, ReportOptions options) {
        try (CsvReader csv = CsvReader.open(file)) {
            Columns columns = Columns.of(csv, target, features, key);
            boolean checkKeys = options != null && !options.plotKeys().isEmpty() && key != null;
            Set<String> wanted = checkKeys ? new LinkedHashSet<>(options.plotKeys()) : Set.of();
            Set<String> found = new LinkedHashSet<>();
            Set<String> firstKeys = new LinkedHashSet<>();
            long rows = 0;
            if (checkKeys) {
                String[] cells;
                while ((cells = csv.next()) != null) {
                    rows++;
                    String k = cells[columns.key];
                    if (firstKeys.size() <= KEYS_SHOWN) {
                        firstKeys.add(k);
                    }
                    if (wanted.contains(k)) {
                        found.add(k);
                    }
                }
            } else {
                while (csv.skip()) {
                    rows++;
                }
            }
            if (rows == 0) {
                throw new InputException(file + " has a header but no data rows");
            }
            if (checkKeys) {
                List<String> known = new ArrayList<>(firstKeys);
                found.stream().filter(k -> !firstKeys.contains(k)).forEach(known::add);
                options.plotKeyIds(known); // a misspelt key fails before the long run
            }
            return new CsvSource(file, target, features, key, rows);
        }
    }

    public Path file() {
        return file;
    }

    public String targetColumn() {
        return targetColumn;
    }

    public List<String> featureColumns() {
        return featureColumns;
    }

    /** The key column, or null (the file is one series). */
    public String keyColumn() {
        return keyColumn;
    }

    /** Data rows in the file (blank lines are not rows). */
    public long rows() {
        return rows;
    }

    /**
     * Reads the file, row by row, into {@code run}, numbers by {@link InputValues}' policy: a row
     * with a cell that is infinite or out of range is rejected (counted by reason, never learned
     * from); a cell that is not a number at all is an error naming line and column (a wrong
     * column or a broken file, not a reading).
     */
    public void feed(EvaluationRun run) {
        try (CsvReader csv = CsvReader.open(file)) {
            Columns columns = Columns.of(csv, targetColumn, featureColumns, keyColumn);
            double[] features = new double[columns.features.length];
            String[] cells;
            while ((cells = csv.next()) != null) {
                InvalidRecordException rejection = null;
                double target = Double.NaN;
                for (int j = -1; j < features.length; j++) {
                    int column = j < 0 ? columns.target : columns.features[j];
                    try {
                        double v = InputValues.parse(cells[column], "column '", csv.header().get(column));
                        if (j < 0) {
                            target = v;
                        } else {
                            features[j] = v;
                        }
                    } catch (InvalidRecordException e) {
                        if (e.reason() == InvalidRecordException.Reason.NON_NUMERIC) {
                            throw new InputException(csv.file() + " line " + csv.line() + ", column '"
                                    + csv.header().get(column) + "': '" + cells[column] + "' is not a number");
                        }
                        rejection = rejection == null ? e : rejection;
                    }
                }
                if (rejection != null) {
                    run.reject(rejection.reason(), csv.file() + " line " + csv.line() + ": " + rejection.oneLineMessage());
                } else {
                    run.accept(columns.key < 0 ? "" : cells[columns.key], features, target);
                }
            }
        }
    }

    /** The column indices of the target, the features and the key (-1: none). */
    private record Columns(int target, int[] features, int key) {
        static Columns of(CsvReader csv, String target, List<String> features, String key) {
            int targetCol = csv.column(target);
            int[] featureCols = new int[features.size()];
            for (int j = 0; j < featureCols.length; j++) {
                featureCols[j] = csv.column(features.get(j));
                if (featureCols[j] == targetCol) {
                    throw new InputException("column '" + target + "' is the target; list it in --features only via "
                            + "the autoregressive input (on by default when forecasting)");
                }
            }
            return new Columns(targetCol, featureCols, key == null ? -1 : csv.column(key));
        }
    }
}
