package io.streamgru.app.evaluate;

import io.streamgru.model.online.PrequentialEvaluation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code row,key,prediction,target}: per input row, the forecast made for that row's target. */
public final class PredictionsCsv {

    private PredictionsCsv() {
    }

    public static void write(Path file, CsvDataset dataset, PrequentialEvaluation.Result result) {
        double[] targets = dataset.data().targets();
        int[] series = dataset.data().series();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("row,key,prediction,target\n");
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < targets.length; i++) {
                line.setLength(0);
                line.append(i + 1).append(',').append(quote(dataset.keyNames().get(series[i]))).append(',');
                if (!Double.isNaN(result.predictions()[i])) {
                    line.append(result.predictions()[i]);
                }
                line.append(',');
                if (!Double.isNaN(targets[i])) {
                    line.append(targets[i]);
                }
                line.append('\n');
                w.write(line.toString());
            }
        } catch (IOException e) {
            throw new InputException("cannot write predictions to " + file + ": " + e.getMessage(), e);
        }
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
