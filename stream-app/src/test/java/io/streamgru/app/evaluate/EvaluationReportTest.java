package io.streamgru.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgru.app.input.InputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report from a neutral {@link ForecastTable}, as a topic-fed evaluation would build it. */
class EvaluationReportTest {

    private static final double NaN = Double.NaN;

    @TempDir
    Path dir;

    /** Two keys, event times in ms, a row without a forecast and one without an actual. */
    private static ForecastTable table() {
        return new ForecastTable("event time (ms)", List.of("x", "y"),
                new int[] {0, 1, 0, 1, 0, 1},
                new long[] {1000, 1500, 2000, 2500, 3000, 3500},
                new double[] {1, 10, 2, NaN, 4, 8},
                List.of(new ForecastTable.Method("model", "model", Map.of()),
                        new ForecastTable.Method("persistence", "persistence", Map.of())),
                List.of(new double[] {NaN, 11, 2.5, 9, 3, 9}, new double[] {NaN, NaN, 1, 10, 2, 10}));
    }

    private static EvaluationReport.Context context() {
        return new EvaluationReport.Context("topic sensors", "temperature", "sensor", 1, "", Map.of());
    }

    @Test
    void scoresRowsWithAnActualAndEveryForecastPerKeyOverallAndPerWindow() {
        EvaluationReport r = EvaluationReport.build(context(), table(), new ReportOptions(4, List.of(), 10, 1e-9));

        // Scored: rows 2 (x: 2.5 / 1 vs 2), 4 (x: 3 / 2 vs 4), 5 (y: 9 / 10 vs 8). Row 1 lacks persistence,
        // row 0 the model, row 3 the actual.
        ErrorMetrics model = r.overall().metrics().get("model");
        ErrorMetrics persistence = r.overall().metrics().get("persistence");
        assertThat(model.scored()).isEqualTo(3);
        assertThat(model.mae()).isEqualTo(ErrorMetrics.round((0.5 + 1 + 1) / 3));
        assertThat(model.rmse()).isEqualTo(ErrorMetrics.round(Math.sqrt((0.25 + 1 + 1) / 3)));
        assertThat(model.mape()).isEqualTo(ErrorMetrics.round(100 * (0.25 + 0.25 + 0.125) / 3));
        assertThat(persistence.mae()).isEqualTo(ErrorMetrics.round(5.0 / 3));
        assertThat(model.relativeMae()).isEqualTo(ErrorMetrics.round(2.5 / 5));
        assertThat(persistence.relativeMae()).isEqualTo(1);

        assertThat(r.keys()).extracting(EvaluationReport.Scope::name).containsExactly("x", "y");
        assertThat(r.keys().get(0).rows()).isEqualTo(3);
        assertThat(r.keys().get(0).scored()).isEqualTo(2);
        assertThat(r.keys().get(1).metrics().get("model").mae()).isEqualTo(1);

        // Windows of 4 rows: [1000..2500] and [3000..3500], in the table's own time unit.
        assertThat(r.windows()).hasSize(2);
        assertThat(r.windows().get(0).from()).isEqualTo(1000);
        assertThat(r.windows().get(0).to()).isEqualTo(2500);
        assertThat(r.windows().get(0).scored()).isEqualTo(1);
        assertThat(r.windows().get(1).from()).isEqualTo(3000);
        assertThat(r.windows().get(1).rows()).isEqualTo(2);
        assertThat(r.windows().get(1).scored()).isEqualTo(2);
    }

    @Test
    void metricsOfNoRowsAreNullInJsonAndADashInTheTables() throws IOException {
        double[] none = {NaN, NaN, NaN};
        ForecastTable empty = new ForecastTable("row", List.of("only"), new int[3], new long[] {1, 2, 3},
                new double[] {1, 2, 3}, List.of(new ForecastTable.Method("model", "model", Map.of())), List.of(none));

        ReportWriter.Written w = ReportWriter.write(dir, context(), empty, ReportOptions.defaults());

        assertThat(w.files()).hasSize(6); // 3 PNGs, json, md, html
        JsonNode json = new ObjectMapper().readTree(dir.resolve(ReportWriter.JSON).toFile());
        assertThat(json.get("scored").asInt()).isZero();
        assertThat(json.get("overall").get("model").get("mae").isNull()).isTrue();
        assertThat(json.get("overall").get("model").get("relative_mae").isNull()).isTrue(); // no persistence
        assertThat(Files.readString(dir.resolve(ReportWriter.MARKDOWN))).contains("| model | 0 | — | — | — | — | — |");
        BufferedImage errors = ImageIO.read(dir.resolve(ReportWriter.ERROR_OVER_TIME).toFile());
        assertThat(errors.getWidth()).isEqualTo(ReportOptions.WIDTH);
        assertThat(errors.getHeight()).isEqualTo(ReportOptions.HEIGHT);
    }

    @Test
    void numbersAreRoundedOnceAndPrintedSoTheyParseBackExactly() {
        for (double v : new double[] {0.262241337, 1234567.891, 1e-7 / 3, 98765432.1, 2.0 / 3, 100, 0.00012345678}) {
            double r = ErrorMetrics.round(v);
            String text = ErrorMetrics.format(r);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(r);
            assertThat(text.replaceAll("[^0-9]", "").replaceFirst("^0+", "").replaceAll("0+$", "").length())
                    .as(text).isLessThanOrEqualTo(ErrorMetrics.SIGNIFICANT_DIGITS + 2); // + exponent digits
        }
        assertThat(ErrorMetrics.format(ErrorMetrics.round(0.262241337))).isEqualTo("0.262241");
        assertThat(ErrorMetrics.format(ErrorMetrics.round(1234567.891))).isEqualTo("1234570");
        assertThat(ErrorMetrics.format(100)).isEqualTo("100");
        assertThat(ErrorMetrics.format(NaN)).isEqualTo("—");
        assertThat(ErrorMetrics.round(Double.POSITIVE_INFINITY)).isNaN();
    }

    @Test
    void mapeSkipsActualsNearZeroAndSmapeOfTwoZerosIsZero() {
        ErrorMetrics.Accumulator a = new ErrorMetrics.Accumulator(0.01);
        a.add(0, 0);        // both zero: sMAPE term 0, MAPE skipped
        a.add(1, 0.001);    // |actual| < eps: skipped by MAPE, sMAPE term 2·0.999/1.001
        a.add(3, 2);        // MAPE 50%, sMAPE 2·1/5
        ErrorMetrics m = a.metrics(NaN);
        assertThat(m.scored()).isEqualTo(3);
        assertThat(m.mapeSkipped()).isEqualTo(2);
        assertThat(m.mape()).isEqualTo(50);
        assertThat(m.smape()).isCloseTo(100 * (2 * 0.999 / 1.001 + 0.4) / 3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(m.relativeMae()).isNaN();
    }

    @Test
    void plotKeysMustExist() {
        ReportOptions options = new ReportOptions(0, List.of("y", "nope"), 10, 0);
        assertThatThrownBy(() -> options.plotKeyIds(List.of("x", "y"))).isInstanceOf(InputException.class)
                .hasMessageContaining("no key 'nope'").hasMessageContaining("keys: x, y");
        assertThat(ReportOptions.defaults().plotKeyIds(List.of("a", "b", "c", "d"))).containsExactly(0, 1, 2);
        assertThat(new ReportOptions(0, List.of("c", "a", "c"), 10, 0).plotKeyIds(List.of("a", "b", "c")))
                .containsExactly(2, 0);
    }
}
