package io.streamgru.app.evaluate;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.optim.GradientAccumulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code evaluate} reports: the same numbers as readable text or as one JSON object. */
public record EvaluationSummary(String input, long records, long scored, long missingTargets, long imputedValues,
                                int series, double mae, double rmse, double maeLast10, double persistenceMae,
                                double persistenceRmse, double persistenceMaeLast10, double trainRecordsPerSecond,
                                long optimizerSteps, long skippedSteps, long cappedChunks, int parameters,
                                LearnerConfig config,
                                Map<String, Long> rejectedRows, IntervalCoverage interval, double modelAloneMae,
                                double modelAloneRmse, double modelAloneMaeLast10, Map<String, Long> dominantExperts) {

    /**
     * The summary of a run; {@code rejected} (reason -> rows) adds rejections its source counted
     * itself (a topic's undecodable records) to the run's own.
     */
    public static EvaluationSummary of(String input, EvaluationRun.Outcome r, OnlineForecaster forecaster,
                                       Map<String, Long> rejected) {
        GradientAccumulator acc = forecaster.accumulator();
        Map<String, Long> rejectedRows = new LinkedHashMap<>(r.rejected());
        rejected.forEach((reason, n) -> rejectedRows.merge(reason, n, Long::sum));
        return new EvaluationSummary(input, r.records(), r.model().count(), r.missingTargets(),
                forecaster.imputedValues(), r.keyNames().size(), r.model().mae(), r.model().rmse(),
                r.modelLast10().mae(), r.baseline().mae(), r.baseline().rmse(), r.baselineLast10().mae(),
                r.recordsPerSecond(), acc.stepsApplied(), acc.skippedSteps(), forecaster.cappedChunks(),
                forecaster.model().parameters().length, forecaster.config(),
                java.util.Collections.unmodifiableMap(rejectedRows), r.interval(), r.modelAlone().mae(),
                r.modelAlone().rmse(), r.modelAloneLast10().mae(), r.dominantExperts());
    }

    /** Rows rejected, all reasons. */
    public long rejectedTotal() {
        return rejectedRows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Keys and values for the JSON output (snake_case, stable names). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", input);
        m.put("records", records);
        m.put("scored", scored);
        m.put("series", series);
        m.put("missing_targets", missingTargets);
        m.put("imputed_values", imputedValues);
        m.put("rejected_rows", rejectedRows);
        m.put("mae", finite(mae));
        m.put("rmse", finite(rmse));
        m.put("mae_last10", finite(maeLast10));
        m.put("persistence_mae", finite(persistenceMae));
        m.put("persistence_rmse", finite(persistenceRmse));
        m.put("persistence_mae_last10", finite(persistenceMaeLast10));
        // The model's own forecast on the same rows: what the published forecast combines with the
        // experts (learner.combine), so both can be reported; equal to mae etc. when the combination is off.
        Map<String, Object> alone = new LinkedHashMap<>();
        alone.put("mae", finite(modelAloneMae));
        alone.put("rmse", finite(modelAloneRmse));
        alone.put("mae_last10", finite(modelAloneMaeLast10));
        m.put("model_alone", alone);
        // Per expert of the combination (learner.combine), the forecasts it had the largest weight in;
        // empty when the combination is off.
        m.put("dominant_expert", dominantExperts);
        m.put("interval", interval.toJson());
        m.put("train_records_per_second", finite(trainRecordsPerSecond));
        m.put("optimizer_steps", optimizerSteps);
        m.put("skipped_steps", skippedSteps);
        m.put("capped_chunks", cappedChunks);
        m.put("parameters", parameters);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("horizon", config.horizon());
        c.put("features", config.features());
        c.put("autoregressive", config.autoregressive());
        c.put("linear_lags", config.linearLags());
        c.put("combine", config.combine());
        c.put("season", config.season());
        c.put("hidden", config.hidden());
        c.put("layers", config.layers());
        c.put("head", config.head().name().toLowerCase(Locale.ROOT));
        c.put("chunk", config.chunk());
        c.put("window", config.window());
        c.put("optimizer", config.optimizer());
        c.put("lr", config.learningRate());
        c.put("schedule", config.schedule());
        c.put("clip", config.clip());
        c.put("loss", config.loss());
        c.put("normalize", config.normalize());
        c.put("seed", config.seed());
        c.put("learn", config.learn());
        m.put("config", c);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** The readable summary. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "StreamGRU evaluate: %s%n", input));
        b.append(String.format(Locale.ROOT, "  rows       %,d in %,d series; scored %,d; target missing %,d; feature values imputed %,d%n",
                records, series, scored, missingTargets, imputedValues));
        if (!rejectedRows.isEmpty()) {
            StringBuilder reasons = new StringBuilder();
            rejectedRows.forEach((reason, n) -> reasons.append(reasons.length() == 0 ? "" : ", ")
                    .append(reason).append(' ').append(String.format(Locale.ROOT, "%,d", n)));
            b.append(String.format(Locale.ROOT, "  rejected   %,d rows, never learned from (%s)%n", rejectedTotal(),
                    reasons));
        }
        b.append(String.format(Locale.ROOT, "  model      GRU %d x %d, %s head, %,d parameters; %s lr %s%s, chunk %d, window %d, horizon %d%s%n",
                config.layers(), config.hidden(), config.head().name().toLowerCase(Locale.ROOT), parameters,
                config.optimizer(), config.learningRate(),
                "constant".equals(config.schedule().strip()) ? "" : " " + config.schedule().strip(),
                config.chunk(), config.window(), config.horizon(),
                config.learn() ? "" : " (inference only)"));
        b.append(String.format(Locale.ROOT, "                 %12s %12s %12s%n", "model", "persistence", "ratio"));
        b.append(row("MAE", mae, persistenceMae));
        b.append(row("RMSE", rmse, persistenceRmse));
        b.append(row("MAE last 10%", maeLast10, persistenceMaeLast10));
        if (config.combine()) {
            b.append(String.format(Locale.ROOT, "  (combined with %s; the model alone: MAE %.6g, RMSE %.6g, MAE last 10%% %.6g)%n",
                    otherExperts(), modelAloneMae, modelAloneRmse, modelAloneMaeLast10));
        }
        b.append(String.format(Locale.ROOT, "  interval   %.3g %% level: coverage %.4f, last 10%% %.4f; mean width last 10%% %.6g%n",
                100 * interval.level(), interval.coverage(), interval.coverageLast10(), interval.meanWidthLast10()));
        b.append(String.format(Locale.ROOT, "  training   %,.0f records/s; %,d optimizer steps (%,d skipped: non-finite); "
                + "%,d chunks capped (learner.chunk.influence)%n", trainRecordsPerSecond, optimizerSteps, skippedSteps,
                cappedChunks));
        return b.toString();
    }

    /**
     * E.g. {@code persistence and seasonal_naive; dominant in model 120, persistence 30, seasonal_naive
     * 9,000 forecasts}.
     */
    private String otherExperts() {
        List<String> others = new ArrayList<>();
        List<String> dominance = new ArrayList<>();
        dominantExperts.forEach((id, n) -> {
            if (!"model".equals(id)) {
                others.add(id);
            }
            dominance.add(id + String.format(Locale.ROOT, " %,d", n));
        });
        int last = others.size() - 1;
        String names = last <= 0 ? String.join("", others)
                : String.join(", ", others.subList(0, last)) + " and " + others.get(last);
        return names + "; dominant in " + String.join(", ", dominance) + " forecasts";
    }

    private static String row(String name, double model, double baseline) {
        return String.format(Locale.ROOT, "  %-14s %12.6g %12.6g %12.3f%n", name, model, baseline, model / baseline);
    }
}
