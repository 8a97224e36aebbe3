package io.streamgru.app.evaluate;

import io.streamgru.app.input.InputException;
import io.streamgru.model.online.BaselineForecaster;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.MovingAverage;
import io.streamgru.model.online.SeasonalNaive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code evaluate --report}: the baselines of a run, and its report written by {@link ReportWriter}. */
public final class CsvReport {

    /** The moving-average baseline's window when {@code --moving-average} is not given. */
    public static final int DEFAULT_MOVING_AVERAGE = 10;

    private CsvReport() {
    }

    /**
     * The baselines beside persistence, for the learner's horizon: seasonal naive when the learner has
     * a season ({@code learner.season}, {@code --season}: the same one its seasonal expert uses), moving
     * average when {@code movingAverage} ≥ 1 (0 = off).
     */
    public static List<BaselineForecaster> baselines(LearnerConfig learner, int movingAverage) {
        int horizon = learner.horizon();
        int season = learner.season();
        if (movingAverage < 0) {
            throw new InputException("--moving-average must be >= 0 (0 = off), not " + movingAverage);
        }
        List<BaselineForecaster> list = new ArrayList<>();
        if (season > 0) {
            list.add(new SeasonalNaive(horizon, season));
        }
        if (movingAverage > 0) {
            list.add(new MovingAverage(horizon, movingAverage));
        }
        return list;
    }

    /** Writes the report of {@code run} into {@code dir}: the numbers it collected, described by {@code summary}. */
    public static ReportWriter.Written write(Path dir, EvaluationRun run, EvaluationSummary summary, String target,
                                             String keyColumn, ReportOptions options) {
        LearnerConfig c = summary.config();
        EvaluationReport.Context context = new EvaluationReport.Context(summary.input(), target, keyColumn,
                c.horizon(), describe(summary), summary.toJson());
        return run.writeReport(dir, context, options);
    }

    /** One line: the model's shape and training settings. */
    static String describe(EvaluationSummary s) {
        LearnerConfig c = s.config();
        return String.format(Locale.ROOT, "GRU %d x %d, %s head, %,d parameters; %s lr %s%s, chunk %d, window %d%s",
                c.layers(), c.hidden(), c.head().name().toLowerCase(Locale.ROOT), s.parameters(), c.optimizer(),
                c.learningRate(), "constant".equals(c.schedule().strip()) ? "" : " " + c.schedule().strip(),
                c.chunk(), c.window(), c.learn() ? "" : ", inference only");
    }
}
