package io.streamgru.app.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.Styler;

/**
 * The report's plots, drawn with XChart into PNGs of {@link ReportOptions#WIDTH} x
 * {@link ReportOptions#HEIGHT} pixels, without a display ({@code java.awt.headless} is set to true
 * unless the JVM was started with a value).
 */
final class ReportCharts {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Model first (dark), then the baselines; the actual values are drawn in grey. */
    private static final Color[] METHOD_COLORS = {
        new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C),
        new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B)
    };
    private static final Color ACTUAL_COLOR = new Color(0x40, 0x40, 0x40);
    /** The model's interval: the model's colour, light. */
    private static final Color BAND_COLOR = new Color(0xF0, 0x9A, 0x9A);

    private ReportCharts() {
    }

    /** The PNG of a chart. */
    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a PNG: " + e.getMessage(), e);
        }
    }

    /**
     * Actual and model forecast over the rows of one key's tail (its last {@code --plot-points} rows),
     * with the forecast's prediction interval (at {@code level}) as two thin lines where it had one.
     */
    static XYChart forecastVsActual(PlotTail tail, String timeLabel, String modelLabel, String target, double level) {
        int n = tail.size();
        double[] x = new double[n];
        double[] actual = new double[n];
        double[] model = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        boolean band = false;
        for (int j = 0; j < n; j++) {
            x[j] = tail.time(j);
            actual[j] = tail.actual(j);
            model[j] = tail.forecast(j);
            lower[j] = model[j] - tail.halfWidth(j);
            upper[j] = model[j] + tail.halfWidth(j);
            band |= Double.isFinite(lower[j]);
        }
        XYChart chart = xyChart("Forecast vs actual: " + keyLabel(tail.key()) + " (last " + n + " records)",
                timeLabel, target);
        if (n > 0) {
            line(chart, "actual", x, actual, ACTUAL_COLOR, 2.0f);
            if (band) {
                String interval = String.format(java.util.Locale.ROOT, "%s %.3g %% interval", modelLabel, 100 * level);
                line(chart, interval + ", lower", x, lower, BAND_COLOR, 0.8f);
                line(chart, interval + ", upper", x, upper, BAND_COLOR, 0.8f);
            }
            line(chart, modelLabel + " forecast", x, model, METHOD_COLORS[0], 1.5f);
        }
        return chart;
    }

    /**
     * Each method's MAE over a trailing window of {@code rolling} scored rows (all keys together),
     * at most {@code maxPoints} points evenly spread over time.
     */
    static XYChart errorOverTime(ErrorTrail trail, EvaluationReport report, long rolling, int maxPoints) {
        XYChart chart = xyChart("Error over time: rolling MAE over the last " + rolling + " scored rows",
                report.timeLabel(), "MAE");
        for (int m = 0; m < report.methods().size(); m++) {
            double[][] xy = trail.rolling(m, rolling, maxPoints);
            if (xy[0].length == 0) {
                return chart;
            }
            line(chart, report.methods().get(m).label(), xy[0], xy[1], color(m), m == 0 ? 2.0f : 1.2f);
        }
        return chart;
    }

    /** MAE and RMSE per method, overall, as grouped bars. */
    static CategoryChart methods(EvaluationReport report) {
        CategoryChart chart = new CategoryChartBuilder().width(ReportOptions.WIDTH).height(ReportOptions.HEIGHT)
                .title("Model vs baselines: overall error (" + report.overall().scored() + " scored rows)")
                .xAxisTitle("method").yAxisTitle("error (target units)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setSeriesColors(new Color[] {new Color(0x1F, 0x77, 0xB4), new Color(0xFF, 0x7F, 0x0E)});
        List<String> labels = new ArrayList<>();
        List<Double> mae = new ArrayList<>();
        List<Double> rmse = new ArrayList<>();
        for (ForecastTable.Method method : report.methods()) {
            ErrorMetrics e = report.overall().metrics().get(method.id());
            labels.add(method.label());
            mae.add(Double.isFinite(e.mae()) ? e.mae() : 0.0);
            rmse.add(Double.isFinite(e.rmse()) ? e.rmse() : 0.0);
        }
        chart.addSeries("MAE", labels, mae);
        chart.addSeries("RMSE", labels, rmse);
        return chart;
    }

    static String keyLabel(String key) {
        return key.isEmpty() ? "all rows" : key;
    }

    private static XYChart xyChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(ReportOptions.WIDTH).height(ReportOptions.HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        return chart;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAntiAlias(true);
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, Color color, float width) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    private static Color color(int method) {
        return METHOD_COLORS[method % METHOD_COLORS.length];
    }
}
