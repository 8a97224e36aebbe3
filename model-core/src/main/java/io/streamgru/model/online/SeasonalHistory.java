package io.streamgru.model.online;

import java.util.Arrays;

/**
 * The seasonal naive rule over one key's recent targets, in one place for the baseline
 * ({@link SeasonalNaive}) and the learner's expert ({@link LearnerConfig#season()}): the forecast of
 * record {@code t}'s target is the target of record {@code t − season · ceil(ahead / season)}, the
 * fewest whole seasons back that land on a record already seen ({@code ahead = t − newest} ≥ 1, so
 * at most {@code season − 1} records before the newest). It keeps the targets of the last
 * {@code season} records in a ring, record n at {@code n % season}: every record is put, an unknown
 * target as NaN, so a slot always holds the newest record of its residue. What to forecast where
 * the rule has nothing (a key's first season, an unknown target) is the caller's choice; both fall
 * back to persistence. Memory: {@code season} doubles.
 */
public final class SeasonalHistory {

    private final double[] ring;

    public SeasonalHistory(int season) {
        BaselineForecaster.requirePositive("season", season);
        this.ring = new double[season];
        clear();
    }

    public int season() {
        return ring.length;
    }

    /** Record {@code record}'s target (NaN = unknown); records are put in order, every one of them. */
    public void put(long record, double target) {
        ring[(int) (record % ring.length)] = target;
    }

    /**
     * The seasonal naive forecast of record {@code newest + ahead}'s target when record {@code newest}
     * is the last put ({@code −1}: none yet) and {@code ahead} ≥ 1; NaN when that record was not put
     * (before the key's start, or before the ring was filled) or its target is unknown.
     */
    public double forecast(long newest, int ahead) {
        int season = ring.length;
        long back = (long) season * ((ahead + season - 1) / season);
        long index = newest + ahead - back;
        return index >= 0 ? ring[(int) (index % season)] : Double.NaN;
    }

    /** Forgets every target: as a key that has put nothing. */
    public void clear() {
        Arrays.fill(ring, Double.NaN);
    }

    /** The ring itself (record n at {@code n % season}), for a key's stored state. */
    double[] ring() {
        return ring;
    }
}
