package io.streamgru.app.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.topology.StreamGruMetrics;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The data behind the dashboard page: samples the meters once a second into a {@link MeterHistory}
 * (10 minutes kept) and renders it, the {@link WatchedKeys}' points and the meters' current figures
 * as one JSON document ({@code /api/series}, {@link #FORMAT} version 1). The figures are read from the
 * same meters as {@code /metrics} at the moment of the request.
 */
public final class Dashboard implements AutoCloseable {

    /** Version of the JSON document; a page checks it. */
    public static final int FORMAT = 1;
    /** Samples kept: 10 minutes at one a second. */
    static final int SAMPLES = 600;
    /** Keys charted when {@code http.dashboard.keys} names none. */
    public static final int DEFAULT_KEYS = 4;
    /** Forecasts kept per charted key. */
    public static final int POINTS_PER_KEY = 240;

    private static final JsonFactory JSON = new JsonFactory();

    private final StreamGruMetrics metrics;
    private final WatchedKeys keys;
    private final MeterHistory history;
    private final ScheduledExecutorService sampler;

    private Dashboard(StreamGruMetrics metrics, WatchedKeys keys, ScheduledExecutorService sampler) {
        this.metrics = metrics;
        this.keys = keys;
        this.history = new MeterHistory(metrics, SAMPLES);
        this.sampler = sampler;
    }

    /** The keys to give {@link StreamGruMetrics} as its forecast listener, for {@code http.dashboard.keys}. */
    public static WatchedKeys watch(List<String> chosenKeys) {
        return new WatchedKeys(chosenKeys, DEFAULT_KEYS, POINTS_PER_KEY);
    }

    /** Starts sampling {@code metrics} once a second (on one daemon thread) until closed. */
    public static Dashboard start(StreamGruMetrics metrics, WatchedKeys keys) {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "streamgru-dashboard-sampler");
            t.setDaemon(true);
            return t;
        });
        Dashboard dashboard = new Dashboard(metrics, keys, sampler);
        sampler.scheduleAtFixedRate(() -> dashboard.history.sample(System.currentTimeMillis()), 0, 1,
                TimeUnit.SECONDS);
        return dashboard;
    }

    /** The JSON document the page draws: current figures, the meters' history and the charted keys. */
    public String json() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            writeNow(g);
            writeHistory(g, history.samples());
            g.writeArrayFieldStart("keys");
            for (String key : keys.keys()) {
                writeKey(g, key, keys.points(key));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private void writeNow(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("now");
        g.writeNumberField("epochMillis", System.currentTimeMillis());
        g.writeNumberField("records", metrics.records());
        g.writeNumberField("forecasts", metrics.forecasts());
        g.writeNumberField("modelVersion", metrics.latestVersion());
        g.writeNumberField("versionLag", metrics.modelVersionLag());
        number(g, "modelMae", metrics.rollingModelMae());
        number(g, "persistenceMae", metrics.rollingPersistenceMae());
        g.writeNumberField("deadLetters", metrics.deadLetters());
        g.writeObjectFieldStart("deadLettersByReason");
        for (InvalidRecordException.Reason reason : MeterHistory.reasons()) {
            g.writeNumberField(reason.name(), metrics.deadLetters(reason));
        }
        g.writeEndObject();
        g.writeNumberField("driftDetections", metrics.driftDetections());
        g.writeEndObject();
    }

    private static void writeHistory(JsonGenerator g, List<MeterHistory.Sample> samples) throws IOException {
        g.writeObjectFieldStart("history");
        column(g, "t", samples, s -> s.epochMillis() / 1000.0);
        column(g, "recordsPerSecond", samples, MeterHistory.Sample::recordsPerSecond);
        column(g, "modelMae", samples, MeterHistory.Sample::modelMae);
        column(g, "persistenceMae", samples, MeterHistory.Sample::persistenceMae);
        column(g, "modelVersion", samples, MeterHistory.Sample::modelVersion);
        column(g, "versionLag", samples, MeterHistory.Sample::versionLag);
        column(g, "driftDetections", samples, MeterHistory.Sample::driftDetections);
        column(g, "driftPolicyActions", samples, MeterHistory.Sample::driftPolicyActions);
        g.writeObjectFieldStart("deadLetters");
        List<InvalidRecordException.Reason> reasons = MeterHistory.reasons();
        for (int i = 0; i < reasons.size(); i++) {
            int r = i;
            column(g, reasons.get(i).name(), samples, s -> s.deadLettersByReason()[r]);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeKey(JsonGenerator g, String key, List<WatchedKeys.Point> points) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", key);
        column(g, "t", points, p -> p.eventTime() / 1000.0);
        column(g, "actual", points, WatchedKeys.Point::actual);
        column(g, "forecast", points, WatchedKeys.Point::forecast);
        column(g, "lower", points, WatchedKeys.Point::lower);
        column(g, "upper", points, WatchedKeys.Point::upper);
        g.writeEndObject();
    }

    private static <T> void column(JsonGenerator g, String name, List<T> rows, ToDoubleFunction<T> value)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (T row : rows) {
            double v = value.applyAsDouble(row);
            if (Double.isFinite(v)) {
                g.writeNumber(v);
            } else {
                g.writeNull(); // JSON has no NaN; the charts leave a gap
            }
        }
        g.writeEndArray();
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(name, v);
        } else {
            g.writeNullField(name);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
