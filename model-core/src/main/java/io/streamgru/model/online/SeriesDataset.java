package io.streamgru.model.online;

/**
 * Rows of one or more interleaved series, in arrival order: for row i, the series it belongs to
 * ({@code series[i]}, 0-based dense ids), its features ({@code features[i*F .. i*F+F)}, NaN =
 * missing) and its target ({@code targets[i]}, NaN = unknown).
 */
public record SeriesDataset(int[] series, int featureCount, double[] features, double[] targets) {

    public SeriesDataset {
        if (series.length != targets.length || features.length != (long) targets.length * featureCount) {
            throw new IllegalArgumentException("series, features and targets disagree on the number of rows");
        }
    }

    /** A single series. */
    public static SeriesDataset single(int featureCount, double[] features, double[] targets) {
        return new SeriesDataset(new int[targets.length], featureCount, features, targets);
    }

    public int rows() {
        return targets.length;
    }

    /** Number of distinct series ids (max id + 1). */
    public int seriesCount() {
        int max = -1;
        for (int s : series) {
            max = Math.max(max, s);
        }
        return max + 1;
    }
}
