package io.streamgru.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the benchmark threads' CPU time per operation ({@code ·cpu.time.per.op}, µs/op) next to
 * JMH's wall-clock score: {@code -prof io.streamgru.bench.CpuTimeProfiler}.
 *
 * <p>Why: this machine has two cores shared with other engineers' builds and jobs; when the load
 * is above 2, a benchmark thread is descheduled for part of each iteration and the wall-clock score
 * grows by that share. CPU time counts only the time the thread actually ran, so it measures the
 * cost on one core (cache and SMT interference from neighbours still show). Both are recorded;
 * docs/BENCHMARKS.md says which is which.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> before = new HashMap<>();

    @Override
    public String getDescription() {
        return "CPU time of the JMH worker threads per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before.clear();
        for (ThreadInfo info : workers()) {
            before.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = 0;
        for (ThreadInfo info : workers()) {
            long now = threads.getThreadCpuTime(info.getThreadId());
            if (now >= 0) {
                cpu += now - before.getOrDefault(info.getThreadId(), 0L);
            }
        }
        long ops = result.getMetadata().getAllOps();
        double perOp = ops > 0 ? cpu / 1000.0 / ops : Double.NaN;
        return List.of(new ScalarResult("cpu.time.per.op", perOp, "us/op", AggregationPolicy.AVG));
    }

    private List<ThreadInfo> workers() {
        ThreadInfo[] all = threads.getThreadInfo(threads.getAllThreadIds());
        java.util.ArrayList<ThreadInfo> list = new java.util.ArrayList<>();
        for (ThreadInfo info : all) {
            if (info != null && info.getThreadName().contains("jmh-worker")) {
                list.add(info);
            }
        }
        return list;
    }
}
