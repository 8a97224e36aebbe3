package io.streamgru.app.evaluate;

import io.streamgru.app.input.InputException;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code row,key,prediction,target,lower,upper,model_forecast} as the rows are evaluated: per
 * input row, the forecast made for that row's target (empty = none; an empty target = unknown), that
 * forecast's prediction interval (empty = none) and the model's own forecast for it (before the
 * combination with other experts, {@code learner.combine}; the same as {@code prediction} without
 * it). Memory: one line.
 */
public final class PredictionsWriter implements Closeable {

    private final Path file;
    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder();

    private PredictionsWriter(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Creates (or replaces) the file and writes its header. */
    public static PredictionsWriter open(Path file) {
        try {
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write("row,key,prediction,target,lower,upper,model_forecast\n");
            return new PredictionsWriter(file, out);
        } catch (IOException e) {
            throw failed(file, e);
        }
    }

    /**
     * One row: its 1-based row number, key, the forecast made for it, its target and the half-width of
     * the forecast's interval (NaN = none), and the model's own forecast (NaN = none).
     */
    void write(long row, String key, double prediction, double target, double halfWidth, double modelForecast) {
        line.setLength(0);
        line.append(row).append(',').append(quote(key)).append(',');
        if (!Double.isNaN(prediction)) {
            line.append(prediction);
        }
        line.append(',');
        if (!Double.isNaN(target)) {
            line.append(target);
        }
        line.append(',');
        if (!Double.isNaN(prediction - halfWidth)) {
            line.append(prediction - halfWidth).append(',').append(prediction + halfWidth);
        } else {
            line.append(',');
        }
        line.append(',');
        if (!Double.isNaN(modelForecast)) {
            line.append(modelForecast);
        }
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException e) {
            throw failed(file, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw failed(file, e);
        }
    }

    private static InputException failed(Path file, IOException e) {
        return new InputException("cannot write predictions to " + file + ": " + e.getMessage(), e);
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
