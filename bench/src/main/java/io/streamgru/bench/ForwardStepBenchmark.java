package io.streamgru.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One forecast step of one series: all GRU layers and the linear head, batch 1, per record.
 * {@code step} is {@code GruModel.step} (reads the live parameters); {@code stepPrepared} is
 * {@code PreparedModel.step} (same numbers, on a column copy of the weights refreshed after
 * parameter changes); {@code stepBaseline} is the step as model-core had it before tuning
 * ({@code baseline.BaselineGru}). Inputs cycle through a pre-generated series.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForwardStepBenchmark {

    @Param({"8"})
    public int inputs;

    @Param({"32", "64", "128"})
    public int hidden;

    @Param({"1", "2"})
    public int layers;

    /** model-core's kernels: {@code vector} (the Vector API) or {@code scalar}; see {@link KernelSelection}. */
    @Param({"vector"})
    public String kernels;

    private OnlineWorkload baseline;
    private OnlineWorkload live;
    private OnlineWorkload prepared;

    @Setup
    public void setup() {
        KernelSelection.apply(kernels);
        baseline = new OnlineWorkload(inputs, hidden, layers, 32, 32, 7, OnlineWorkload.Mode.BASELINE);
        live = new OnlineWorkload(inputs, hidden, layers, 32, 32, 7, OnlineWorkload.Mode.LIVE);
        prepared = new OnlineWorkload(inputs, hidden, layers, 32, 32, 7, OnlineWorkload.Mode.PREPARED);
    }

    @Benchmark
    public double stepBaseline() {
        return baseline.stepOnly();
    }

    @Benchmark
    public double step() {
        return live.stepOnly();
    }

    @Benchmark
    public double stepPrepared() {
        return prepared.stepOnly();
    }
}
