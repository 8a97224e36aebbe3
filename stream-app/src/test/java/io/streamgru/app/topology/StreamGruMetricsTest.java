package io.streamgru.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.metrics.PrometheusMeters;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * StreamGRU's meters as Prometheus scrapes them and as the live view and status line read them:
 * the same numbers, under Prometheus' names, with no label but bounded ones.
 */
class StreamGruMetricsTest {

    private final PrometheusMeters meters = new PrometheusMeters();
    private final StreamGruMetrics metrics = new StreamGruMetrics(meters.registry());

    @AfterEach
    void close() {
        meters.close();
    }

    private String scrape() {
        return meters.scrape(null).body();
    }

    @Test
    void countsAreScrapedUnderPrometheusNamesAndReadBackByTheAccessors() {
        for (int i = 0; i < 5; i++) {
            metrics.records.increment();
        }
        metrics.forecasts.increment(3);
        metrics.deadLetter(InvalidRecordException.Reason.NON_NUMERIC);
        metrics.deadLetter(InvalidRecordException.Reason.NON_NUMERIC);
        metrics.deadLetter(InvalidRecordException.Reason.LATE);
        metrics.gradientBatchesSent.increment();
        metrics.batchApplied(2);
        metrics.batchApplied(4);
        metrics.staleBatchesDropped.increment();
        metrics.rejectedBatches.increment();
        metrics.versionSeen(7);
        metrics.optimizerStep.record(250, TimeUnit.MILLISECONDS);

        String scrape = scrape();
        assertThat(scrape).contains("streamgru_records_total 5.0", "streamgru_forecasts_total 3.0",
                "streamgru_dead_letters_total{reason=\"NON_NUMERIC\"} 2.0",
                "streamgru_dead_letters_total{reason=\"LATE\"} 1.0",
                "streamgru_dead_letters_total{reason=\"CORRUPT\"} 0.0",
                "streamgru_gradient_batches_sent_total 1.0",
                "streamgru_gradient_batches_received_total{outcome=\"applied\"} 2.0",
                "streamgru_gradient_batches_received_total{outcome=\"stale\"} 1.0",
                "streamgru_gradient_batches_received_total{outcome=\"skipped\"} 1.0",
                "streamgru_gradient_batch_version_lag_sum 6.0", "streamgru_gradient_batch_version_lag_max 4.0",
                "streamgru_model_version 7.0", "streamgru_optimizer_step_seconds_count 1",
                "streamgru_optimizer_step_seconds_sum 0.25");
        assertThat(metrics.records()).isEqualTo(5);
        assertThat(metrics.deadLetters()).isEqualTo(3);
        assertThat(metrics.deadLetters(InvalidRecordException.Reason.NON_NUMERIC)).isEqualTo(2);
        assertThat(metrics.meanBatchVersionLag()).isEqualTo(3.0);
        assertThat(metrics.maxBatchVersionLag()).isEqualTo(4);
        assertThat(metrics.summary()).startsWith("5 records, 3 forecasts, 3 dead letters, model v7, "
                + "gradient batches 1 sent / 2 applied / 1 stale dropped / 1 rejected");
    }

    @Test
    void theStatusLineShowsADashNotNaNWhileNoForecastIsScored() {
        assertThat(metrics.summary()).contains(", MAE — (persistence —), ").doesNotContainIgnoringCase("nan");
    }

    @Test
    void cappedChunksAreCountedInTheMetricAndTheStatusLine() {
        metrics.chunksCapped.increment(3);
        assertThat(metrics.chunksCapped()).isEqualTo(3);
        assertThat(metrics.summary()).contains(", chunks capped 3, ");
        assertThat(scrape()).contains("streamgru_learner_chunks_capped_total 3.0");
    }

    @Test
    void recordsOnAnOlderVersionThanTheNewestKnownAreCountedWithTheirLag() {
        metrics.versionSeen(10);
        metrics.records.increment(4);
        metrics.recordProcessedOn(10);
        metrics.recordProcessedOn(7);
        metrics.recordProcessedOn(9);
        metrics.recordProcessedOn(10);

        assertThat(metrics.recordsOnOldVersion()).isEqualTo(2);
        assertThat(metrics.meanRecordVersionLag()).isEqualTo((3 + 1) / 4.0);
        assertThat(scrape()).contains("streamgru_record_version_lag_count 2", "streamgru_record_version_lag_sum 4.0",
                "streamgru_model_version_lag 0.0"); // the latest record was on the newest version
    }

    @Test
    void errorsOfModelAndPersistenceGiveOverallAndRollingMeans() {
        assertThat(metrics.meanAbsoluteError()).isNaN();
        assertThat(metrics.rollingModelMae()).isNaN();
        for (int i = 0; i < StreamGruMetrics.ROLLING_WINDOW; i++) {
            metrics.scored(1.0, 2.0);
        }
        for (int i = 0; i < StreamGruMetrics.ROLLING_WINDOW; i++) {
            metrics.scored(0.5, 3.0); // the window now holds only these
        }
        assertThat(metrics.scoredForecasts()).isEqualTo(2L * StreamGruMetrics.ROLLING_WINDOW);
        assertThat(metrics.meanAbsoluteError()).isCloseTo(0.75, within(1e-12));
        assertThat(metrics.meanPersistenceError()).isCloseTo(2.5, within(1e-12));
        assertThat(metrics.rollingCount()).isEqualTo(StreamGruMetrics.ROLLING_WINDOW);
        assertThat(metrics.rollingModelMae()).isCloseTo(0.5, within(1e-12));
        assertThat(metrics.rollingPersistenceMae()).isCloseTo(3.0, within(1e-12));
        assertThat(scrape()).contains("streamgru_rolling_mae{forecaster=\"model\"} 0.5",
                "streamgru_rolling_mae{forecaster=\"persistence\"} 3.0",
                "streamgru_forecast_absolute_error_total{forecaster=\"model\"} 1500.0",
                "streamgru_forecasts_scored_total 2000.0");
    }

    @Test
    void intervalCoverageIsCoveredOverScored() {
        assertThat(metrics.intervalCoverage()).isNaN();
        for (int i = 0; i < 10; i++) {
            metrics.intervalResolved(i != 3);
        }
        assertThat(metrics.intervalCoverage()).isCloseTo(0.9, within(1e-12));
        assertThat(scrape()).contains("streamgru_intervals_scored_total 10.0", "streamgru_intervals_covered_total 9.0");
    }

    @Test
    void publishedForecastsAreCountedByTheirDominantExpertWithNoKeyTag() {
        metrics.published(new Forecast("k-1", 0, 1, 1.0, 1, "h", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                false, Double.NaN, Double.NaN, Double.NaN, 1.5, "persistence"));
        metrics.published(new Forecast("k-2", 0, 1, 1.0, 1, "h", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                false, Double.NaN, Double.NaN, Double.NaN, 1.0, null));
        assertThat(metrics.forecastsDominatedBy("persistence")).isEqualTo(1);
        assertThat(metrics.forecastsDominatedBy("model")).isZero();
        assertThat(metrics.forecasts()).isEqualTo(2);
        assertThat(scrape()).contains("streamgru_forecasts_dominant_expert_total{expert=\"persistence\"} 1.0")
                .doesNotContain("k-1");
    }

    @Test
    void keysHeldAreTheSumOverTheOpenTasks() {
        AtomicLong a = metrics.taskOpened(100);
        AtomicLong b = metrics.taskOpened(0);
        b.incrementAndGet();
        assertThat(metrics.keys()).isEqualTo(101);
        metrics.taskClosed(a);
        assertThat(metrics.keys()).isEqualTo(1);
        assertThat(scrape()).contains("streamgru_keys 1.0");
    }

    @Test
    void theModelCountsAsLoadedOnceATaskOrTheOptimizerTookAVersion() {
        assertThat(metrics.modelLoaded()).isFalse();
        metrics.modelLoaded(0);
        assertThat(metrics.modelLoaded()).isTrue();
    }
}
