package io.streamgru.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chunk-mode online training, reported per record (one invocation = one chunk of
 * {@value #CHUNK} records, hence {@code @OperationsPerInvocation(CHUNK)}):
 * <ul>
 *   <li>{@code train}: the full per-record work of {@link OnlineWorkload#record()} — forecast step
 *       ({@code GruModel.step}), truncated BPTT over every chunk of k=32 (forward + backward, MSE at
 *       every step) and an Adam step every W=32 samples.</li>
 *   <li>{@code trainPrepared}: the same with the forecast step on a {@code PreparedModel} that is
 *       refreshed after every optimizer step (same numbers), whose recorded activations each chunk's
 *       run reuses instead of computing its forward pass again (a {@code ForwardTrace}, as
 *       {@code SeriesLearner} does; with W = k no optimizer step falls inside a chunk, so every chunk
 *       after the first reuses them; the fork fails if one does not). This is the number compared
 *       with PyTorch.</li>
 *   <li>{@code bptt}: only the chunk's forward + backward (per record), for the breakdown.</li>
 *   <li>{@code bpttPrepared}: the same on the prepared model, with no recorded forward pass to reuse
 *       (what a chunk costs when an optimizer step fell inside it, e.g. with many keys).</li>
 *   <li>{@code trainBaseline}, {@code bpttBaseline}: the same work with model-core as it was before
 *       tuning ({@code baseline.BaselineGru}), for before/after from one jar.</li>
 *   <li>{@code optimizer}: only the optimizer step, per record (one step per 32 records).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ChunkTrainingBenchmark {

    static final int CHUNK = 32;
    static final int WINDOW = 32;

    @Param({"8"})
    public int inputs;

    @Param({"32", "64", "128"})
    public int hidden;

    @Param({"1", "2"})
    public int layers;

    /** model-core's kernels: {@code vector} (the Vector API) or {@code scalar}; see {@link KernelSelection}. */
    @Param({"vector"})
    public String kernels;

    private OnlineWorkload workload;
    private OnlineWorkload preparedWorkload;
    private OnlineWorkload baselineWorkload;

    @Setup
    public void setup() {
        KernelSelection.apply(kernels);
        OnlineWorkload.checkBaselineAgrees(inputs, hidden, layers, CHUNK);
        workload = new OnlineWorkload(inputs, hidden, layers, CHUNK, WINDOW, 7, OnlineWorkload.Mode.LIVE);
        workload.primeChunk();
        preparedWorkload = new OnlineWorkload(inputs, hidden, layers, CHUNK, WINDOW, 7, OnlineWorkload.Mode.PREPARED);
        preparedWorkload.primeChunk();
        baselineWorkload = new OnlineWorkload(inputs, hidden, layers, CHUNK, WINDOW, 7, OnlineWorkload.Mode.BASELINE);
        baselineWorkload.primeChunk();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public double trainBaseline() {
        double s = 0;
        for (int i = 0; i < CHUNK; i++) {
            s += baselineWorkload.record();
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public double bpttBaseline() {
        return baselineWorkload.bpttOnly();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public double train() {
        double s = 0;
        for (int i = 0; i < CHUNK; i++) {
            s += workload.record();
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public double trainPrepared() {
        double s = 0;
        for (int i = 0; i < CHUNK; i++) {
            s += preparedWorkload.record();
        }
        return s;
    }

    @TearDown
    public void checkReuse() {
        if (preparedWorkload.trainedChunks() > 1 && !preparedWorkload.lastRunReusedForward()) {
            throw new IllegalStateException("trainPrepared's last chunk computed its forward pass again");
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public double bptt() {
        return workload.bpttOnly();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public double bpttPrepared() {
        return preparedWorkload.bpttOnly();
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public void optimizer() {
        workload.optimizerOnly();
    }
}
