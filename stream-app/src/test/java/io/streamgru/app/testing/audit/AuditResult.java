package io.streamgru.app.testing.audit;

import java.util.List;

/**
 * What a {@link ForecastAudit} found: one line of the fault suite's table.
 *
 * @param records     readings written (and acknowledged) of the audited keys
 * @param forecasts   forecasts read for them ({@code read_committed})
 * @param lost        readings without a forecast
 * @param duplicate   forecasts beyond the first for a reading
 * @param reordered   forecasts whose event time is not above the key's previous forecast's
 * @param mismatched  forecasts whose {@code actual} is not the reading's target, or of no reading
 * @param nonFinite   forecasts (of any key) with a missing or non-finite prediction or error
 * @param versions    model versions published
 * @param versionsGapFree whether they are 1…n with finite parameters
 * @param problems    the first few problems found, for the failure message
 */
public record AuditResult(int records, int forecasts, int lost, int duplicate, int reordered, int mismatched,
                          int nonFinite, long versions, boolean versionsGapFree, List<String> problems) {

    /** Whether nothing was lost, repeated, reordered, altered or non-finite, and the versions are gap-free. */
    public boolean clean() {
        return lost == 0 && duplicate == 0 && reordered == 0 && mismatched == 0 && nonFinite == 0 && versionsGapFree;
    }

    /** @throws AssertionError naming the counts and the first problems unless {@link #clean()} */
    public void assertClean(String scenario) {
        if (!clean()) {
            throw new AssertionError(scenario + ": " + this);
        }
    }

    /** A row of the results table: scenario, records, lost, duplicate, reordered, non-finite, versions gap-free. */
    public String tableRow(String scenario, double seconds) {
        return String.format(java.util.Locale.ROOT, "| %s | %,d | %d | %d | %d | %d | %s (%d) | %.0f s |", scenario,
                records, lost, duplicate, reordered, nonFinite, versionsGapFree ? "yes" : "NO", versions, seconds);
    }
}
