package io.streamgru.bench;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.streamgru.app.topology.Forecast;
import io.streamgru.app.topology.JsonForecastEncoder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One forecast record's JSON ({@code encodeForecast}: {@link JsonForecastEncoder}, nine numbers as
 * the streaming app writes them: prediction, actual, resolved prediction, error, persistence error,
 * interval bounds and level, the model's own forecast), and its nine numbers alone appended to a
 * reused builder as JDK 17's {@code StringBuilder.append(double)} writes them ({@code jdkAppend},
 * what the encoder did before) and as the shortest decimal ({@code shortestDecimal}, Jackson's
 * Schubfach, what it does now). The values cycle through 1,024 forecasts of a series near 20 with
 * computed, full-precision digits. With {@code -prof gc} for what each allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForecastEncodingBenchmark {

    private static final int N = 1024;
    private Forecast[] forecasts;
    private double[][] numbers;
    private final JsonForecastEncoder encoder = new JsonForecastEncoder();
    private final StringBuilder text = new StringBuilder(256);
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        forecasts = new Forecast[N];
        numbers = new double[N][];
        for (int i = 0; i < N; i++) {
            double actual = 20 + Math.sin(0.1 * i) + 0.01 * random.nextGaussian();
            double prediction = actual + 0.05 * random.nextGaussian();
            double resolved = actual + 0.05 * random.nextGaussian();
            double half = 0.1 + 0.01 * random.nextDouble();
            double alone = prediction + 0.01 * random.nextGaussian();
            forecasts[i] = new Forecast("room-" + (i % 16), 1_700_000_000_000L + i, 1, prediction, 42, "c0ffee",
                    actual, resolved, actual - resolved, actual - (actual - 0.02), false, prediction - half,
                    prediction + half, 0.9, alone, "model");
            numbers[i] = new double[] {prediction, actual, resolved, actual - resolved, actual - (actual - 0.02),
                    prediction - half, prediction + half, 0.9, alone};
        }
    }

    @Benchmark
    public byte[] encodeForecast() {
        next = (next + 1) & (N - 1);
        return encoder.encode("forecasts", forecasts[next]);
    }

    @Benchmark
    public int jdkAppend() {
        next = (next + 1) & (N - 1);
        text.setLength(0);
        for (double v : numbers[next]) {
            text.append(v).append(',');
        }
        return text.length();
    }

    @Benchmark
    public int shortestDecimal() {
        next = (next + 1) & (N - 1);
        text.setLength(0);
        for (double v : numbers[next]) {
            text.append(NumberOutput.toString(v, true)).append(',');
        }
        return text.length();
    }
}
