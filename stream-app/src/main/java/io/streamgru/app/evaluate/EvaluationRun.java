package io.streamgru.app.evaluate;

import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.model.experts.Expert;
import io.streamgru.model.online.BaselineForecaster;
import io.streamgru.model.online.ErrorStats;
import io.streamgru.model.online.MovingAverage;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.PrequentialEvaluation;
import io.streamgru.model.online.SeasonalNaive;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.online.SeriesState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prequential evaluation (as model-core's {@link PrequentialEvaluation}, with the same numbers)
 * fed one row at a time, so its memory does not grow with the rows: each row is forecast, then
 * learned from, scored against persistence, written to {@code --predictions} and added to the
 * report's sums as it arrives. Per key it keeps the key's learner state and baselines. Rows that
 * were rejected are only counted, by reason; they take a position (row number) but never reach
 * the model.
 */
public final class EvaluationRun {

    /**
     * What a run produced: rows (positions, rejected ones included), records learned from, errors,
     * rejections. {@code model} is the forecast published (the combination of experts, when on);
     * {@code modelAlone} the model's own forecast on the same rows (the same numbers when the combination is off);
     * {@code dominantExperts} the forecasts made, by the expert of largest weight in each (by id, every expert of
     * the combination in its order; empty when it is off).
     */
    public record Outcome(long rows, long records, List<String> keyNames, ErrorStats model, ErrorStats baseline,
                          ErrorStats modelLast10, ErrorStats baselineLast10, long missingTargets, double trainSeconds,
                          Map<String, Long> rejected, Map<String, String> firstRejections, IntervalCoverage interval,
                          ErrorStats modelAlone, ErrorStats modelAloneLast10, Map<String, Long> dominantExperts) {

        /** Records per second of the learning itself (forecast and learn), reading excluded. */
        public double recordsPerSecond() {
            return records / trainSeconds;
        }

        /** Rejected rows, all reasons. */
        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        /** E.g. {@code "2 (OUT_OF_RANGE 2; first: f.csv line 9: column 'y' = 1e300 is beyond ±1e100: …)"}. */
        public String describeRejections() {
            StringBuilder b = new StringBuilder().append(rejectedTotal()).append(" (");
            rejected.forEach((reason, n) -> b.append(b.charAt(b.length() - 1) == '(' ? "" : ", ").append(reason)
                    .append(' ').append(n));
            firstRejections.values().stream().findFirst().ifPresent(m -> b.append("; first: ").append(m));
            return b.append(')').toString();
        }
    }

    /** The report part of a run: its options and the baselines beside persistence. */
    public record ReportSetup(ReportOptions options, List<BaselineForecaster> baselines) {
    }

    private final OnlineForecaster forecaster;
    private final long rows;
    private final long last10Start;
    private final PredictionsWriter predictions;
    private final PrequentialEvaluation.Progress progress;
    private final List<BaselineForecaster> baselines;
    private final ReportCollector report;
    private final double[] forecasts;
    private final Map<String, Integer> keyIds = new HashMap<>();
    private final List<String> keyNames = new ArrayList<>();
    private final List<SeriesState> states = new ArrayList<>();
    private final ErrorStats model = new ErrorStats();
    private final ErrorStats baseline = new ErrorStats();
    private final ErrorStats modelLast10 = new ErrorStats();
    private final ErrorStats baselineLast10 = new ErrorStats();
    private final ErrorStats modelAlone = new ErrorStats();
    private final ErrorStats modelAloneLast10 = new ErrorStats();
    private final IntervalCoverage interval;
    private final Map<Expert, Long> dominantExperts = new EnumMap<>(Expert.class);
    private final Expert[] experts;
    private final Map<InvalidRecordException.Reason, Long> rejected = new EnumMap<>(InvalidRecordException.Reason.class);
    private final Map<InvalidRecordException.Reason, String> firstRejections =
            new EnumMap<>(InvalidRecordException.Reason.class);
    private long position;
    private long records;
    private long missing;
    private long trainNanos;
    private long reported = System.nanoTime();

    /**
     * @param rows        the rows (positions) the source will deliver, rejected ones included: the last
     *                    10 % and the report's windows are cut by position
     * @param predictions where each row's forecast goes, or null
     * @param report      the report to collect, or null
     */
    public EvaluationRun(OnlineForecaster forecaster, long rows, PredictionsWriter predictions, ReportSetup report,
                         PrequentialEvaluation.Progress progress) {
        this.forecaster = forecaster;
        this.rows = rows;
        this.last10Start = rows - rows / 10;
        this.predictions = predictions;
        this.progress = progress;
        this.baselines = report == null ? List.of() : List.copyOf(report.baselines());
        this.report = report == null ? null : new ReportCollector(rows, 2 + baselines.size(), report.options());
        this.forecasts = new double[2 + baselines.size()];
        this.interval = new IntervalCoverage(forecaster.config().intervalLevel());
        this.experts = SeriesLearner.experts(forecaster.config());
        if (this.report != null) {
            this.report.intervalLevel(interval.level());
        }
    }

    /** The next row: its key, features (NaN = missing, imputed) and target (NaN = unknown). */
    public void accept(String key, double[] features, double target) {
        Integer id = keyIds.get(key);
        if (id == null) {
            id = keyNames.size();
            keyIds.put(key, id);
            keyNames.add(key);
            states.add(forecaster.newSeries());
            if (report != null) {
                report.key(id, key);
            }
        }
        SeriesState state = states.get(id);
        if (!Double.isFinite(target)) {
            missing++;
        }
        long started = System.nanoTime();
        forecaster.observe(state, features, target);
        trainNanos += System.nanoTime() - started;
        if (state.dominantExpert() != null) {
            dominantExperts.merge(state.dominantExpert(), 1L, Long::sum);
        }
        double prediction = state.resolvedForecast();
        double persistence = state.resolvedBaseline();
        double alone = state.resolvedModelForecast();
        if (Double.isFinite(target) && !Double.isNaN(prediction) && !Double.isNaN(persistence)) {
            model.add(prediction, target);
            baseline.add(persistence, target);
            modelAlone.add(alone, target);
            if (position >= last10Start) {
                modelLast10.add(prediction, target);
                baselineLast10.add(persistence, target);
                modelAloneLast10.add(alone, target);
            }
            interval.add(prediction, state.resolvedHalfWidth(), target, position >= last10Start);
        }
        if (predictions != null) {
            predictions.write(position + 1, key, prediction, target, state.resolvedHalfWidth(), alone);
        }
        if (report != null) {
            forecasts[0] = prediction;
            forecasts[1] = persistence;
            for (int b = 0; b < baselines.size(); b++) {
                forecasts[2 + b] = baselines.get(b).observe(id, target);
            }
            report.add(id, position, position + 1, target, forecasts, state.resolvedHalfWidth());
        }
        records++;
        advance();
    }

    /** The next row was rejected for {@code reason} ({@code message} says where and why): counted, never learned from. */
    public void reject(InvalidRecordException.Reason reason, String message) {
        rejected.merge(reason, 1L, Long::sum);
        firstRejections.putIfAbsent(reason, message);
        advance();
    }

    private void advance() {
        position++;
        if ((position & 1023) == 0) {
            long now = System.nanoTime();
            if (now - reported > 1_000_000_000L) {
                progress.rowsDone((int) Math.min(Integer.MAX_VALUE, position), (int) Math.min(Integer.MAX_VALUE, rows));
                reported = now;
            }
        }
    }

    /** Ends the run (the progress line, too). */
    public Outcome finish() {
        int total = (int) Math.min(Integer.MAX_VALUE, position);
        progress.rowsDone(total, total);
        Map<String, Long> reasons = new LinkedHashMap<>();
        rejected.forEach((reason, n) -> reasons.put(reason.name(), n));
        Map<String, String> examples = new LinkedHashMap<>();
        firstRejections.forEach((reason, message) -> examples.put(reason.name(), message));
        Map<String, Long> dominant = new LinkedHashMap<>();
        for (Expert expert : experts) {
            dominant.put(expert.id(), dominantExperts.getOrDefault(expert, 0L));
        }
        return new Outcome(position, records, List.copyOf(keyNames), model, baseline, modelLast10, baselineLast10,
                missing, trainNanos / 1e9, Collections.unmodifiableMap(reasons), Collections.unmodifiableMap(examples),
                interval, modelAlone, modelAloneLast10, Collections.unmodifiableMap(dominant));
    }

    /** The report of the rows so far (null without one); {@code context} says what was run. */
    public EvaluationReport report(EvaluationReport.Context context) {
        return report == null ? null : report.build(context, "row", methods());
    }

    /** Writes the report into {@code dir}. */
    public ReportWriter.Written writeReport(java.nio.file.Path dir, EvaluationReport.Context context,
                                            ReportOptions options) {
        return ReportWriter.write(dir, report(context), report, options);
    }

    private List<ForecastTable.Method> methods() {
        List<ForecastTable.Method> methods = new ArrayList<>();
        methods.add(new ForecastTable.Method("model", "model", Map.of()));
        methods.add(new ForecastTable.Method("persistence", "persistence", Map.of()));
        for (BaselineForecaster b : baselines) {
            methods.add(new ForecastTable.Method(b.id(), b.label(), details(b)));
        }
        return methods;
    }

    private static Map<String, Object> details(BaselineForecaster b) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (b instanceof SeasonalNaive s) {
            d.put("season", s.season());
            d.put("fallback_forecasts", s.fallbacks());
        } else if (b instanceof MovingAverage m) {
            d.put("window", m.window());
        }
        return d;
    }
}
