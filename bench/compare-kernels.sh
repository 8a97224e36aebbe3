#!/usr/bin/env bash
# model-core's two kernel sets (the JDK Vector API ones and the scalar fallback) from ONE build of the
# JMH jar, and PyTorch, doing the same online work per record (H=64, I=8, one layer, k=32, W=32, one
# thread each), in turns in every round so all see the same machine; optionally an older jar too
# (BEFORE=...). Prints each one's records per CPU-second per round, the medians, the ratios
# (vector / scalar, each / PyTorch; medians of the per-round ratios) and the load at each run.
#
#   ./mvnw -B -q -o package -DskipTests -pl bench -am
#   bench/compare-kernels.sh
#   ROUNDS=5 BEFORE=bench/out/before.jar bench/compare-kernels.sh
#   JAVA_BENCH=ForwardStepBenchmark.stepPrepared NO_TORCH=1 bench/compare-kernels.sh
#
# CPU time is the benchmark thread's (-prof io.streamgru.bench.CpuTimeProfiler; PyTorch:
# time.thread_time()); -prof gc reports the bytes allocated per record. The vector kernels need
# --add-modules jdk.incubator.vector in the benchmark JVM: the benchmarks' @Fork adds it, and
# `-p kernels=scalar` forces the fallback in its fork (io.streamgru.bench.KernelSelection).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
HIDDEN=${HIDDEN:-64}
INPUTS=${INPUTS:-8}
LAYERS=${LAYERS:-1}
JAVA_BENCH=${JAVA_BENCH:-ChunkTrainingBenchmark.trainPrepared}
JAR=${JAR:-bench/target/benchmarks.jar}
BEFORE=${BEFORE:-}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=bench/out/compare-kernels
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1)"
run_java() { # name jar extra-args...
  local name=$1 jar=$2 r=$3
  shift 3
  echo "$(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT/load-$name-$r.txt"
  echo "round $r/$ROUNDS: $name ($JAVA_BENCH), load $(cut -d' ' -f1 /proc/loadavg) ..."
  java --add-modules jdk.incubator.vector -jar "$jar" "$JAVA_BENCH\$" -p hidden="$HIDDEN" -p inputs="$INPUTS" \
    -p layers="$LAYERS" "$@" -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -prof io.streamgru.bench.CpuTimeProfiler \
    -rf json -rff "$OUT/$name-$r.json" > "$OUT/$name-$r.txt" 2>&1
}
for r in $(seq 1 "$ROUNDS"); do
  run_java vector "$JAR" "$r" -p kernels=vector
  run_java scalar "$JAR" "$r" -p kernels=scalar
  if [[ -n "$BEFORE" ]]; then
    run_java before "$BEFORE" "$r"
  fi
  if [[ "${NO_TORCH:-0}" != 1 ]]; then
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT/load-torch-$r.txt"
    echo "round $r/$ROUNDS: pytorch, load $(cut -d' ' -f1 /proc/loadavg) ..."
    "$PYTHON" bench/pytorch_online.py --hidden "$HIDDEN" --inputs "$INPUTS" --layers "$LAYERS" > "$OUT/torch-$r.json"
  fi
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PYTHON" - "$OUT" "$ROUNDS" "$BEFORE" "${NO_TORCH:-0}" <<'PY'
import json, os, statistics, sys
out, rounds, before, no_torch = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
med = statistics.median
names = ["vector", "scalar"] + (["before"] if before else [])
def java(name, r):
    j = json.load(open(f"{out}/{name}-{r}.json"))[0]
    wall = med(v for fork in j["primaryMetric"]["rawData"] for v in fork)
    cpu = med(v for fork in j["secondaryMetrics"]["cpu.time.per.op"]["rawData"] for v in fork)
    alloc = j["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
    load = open(f"{out}/load-{name}-{r}.txt").read().split()[0]
    return {"cpu_us": cpu, "wall_us": wall, "alloc_b": alloc, "load": float(load)}
rows = {n: [java(n, r) for r in range(1, rounds + 1)] for n in names}
torch = None if no_torch else [json.loads(open(f"{out}/torch-{r}.json").read().strip().splitlines()[-1])
                                for r in range(1, rounds + 1)]
print()
print(f"{'kernels':<8} {'CPU µs/record per round (load)':<48} {'median':>7} {'rec/CPU-s':>10} {'B/rec':>6} "
      f"{'vs scalar':>9} {'vs torch':>9}")
summary = {}
for n in names:
    cpu = [x["cpu_us"] for x in rows[n]]
    vs_scalar = med(rows["scalar"][i]["cpu_us"] / cpu[i] for i in range(rounds))
    vs_torch = med((1e6 / cpu[i]) / torch[i]["records_per_cpu_s_median"] for i in range(rounds)) if torch else float("nan")
    per_round = " ".join(f"{x['cpu_us']:.2f} ({x['load']:.1f})" for x in rows[n])
    print(f"{n:<8} {per_round:<48} {med(cpu):>7.2f} {1e6 / med(cpu):>10,.0f} {max(x['alloc_b'] for x in rows[n]):>6.2f} "
          f"{vs_scalar:>8.3f}x " + (f"{vs_torch:>8.1f}x" if torch else f"{'-':>9}"))
    summary[n] = {"cpu_us_per_record": [round(c, 3) for c in cpu], "median_cpu_us": round(med(cpu), 3),
                  "records_per_cpu_s_median": round(1e6 / med(cpu)), "max_bytes_per_record": max(x["alloc_b"] for x in rows[n]),
                  "load_1min": [x["load"] for x in rows[n]], "vs_scalar_cpu": round(vs_scalar, 3),
                  "vs_torch_cpu": None if not torch else round(vs_torch, 2)}
if torch:
    tc = [t["records_per_cpu_s_median"] for t in torch]
    tl = [float(open(f"{out}/load-torch-{r}.txt").read().split()[0]) for r in range(1, rounds + 1)]
    print(f"{'torch':<8} {' '.join(f'{1e6 / c:.1f} ({l:.1f})' for c, l in zip(tc, tl)):<48} {1e6 / med(tc):>7.1f} "
          f"{med(tc):>10,.0f}   ({torch[0]['dtype']}, one thread)")
    summary["torch"] = {"records_per_cpu_s": [round(c) for c in tc], "load_1min": tl, "dtype": torch[0]["dtype"]}
print(json.dumps(summary))
PY
