#!/usr/bin/env bash
# Several builds of the JMH jar (e.g. before and after a change to model-core) and PyTorch doing the
# same online work per record (H=64, I=8, one layer, k=32, W=32, one thread each), run in turns
# in every round, so all see the same machine; prints each one's median records per CPU-second and
# per wall-clock second, and its ratio to the first jar and to PyTorch (medians over the rounds).
#
#   cp bench/target/benchmarks.jar bench/out/before.jar      # before the change
#   ...change, ./mvnw -B -q -o package -DskipTests -pl model-core,schemas,stream-app,bench
#   bench/compare-jars.sh bench/out/before.jar bench/target/benchmarks.jar
#   ROUNDS=5 JAVA_BENCH=ChunkTrainingBenchmark.bptt bench/compare-jars.sh A.jar B.jar C.jar
#
# CPU time is the benchmark thread's (-prof io.streamgru.bench.CpuTimeProfiler; PyTorch:
# time.thread_time()); on a machine loaded beyond its cores it is the figure to compare, the
# wall-clock rates drop with the share of time the thread waits for a core.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
HIDDEN=${HIDDEN:-64}
INPUTS=${INPUTS:-8}
LAYERS=${LAYERS:-1}
TORCH_FLAGS=${TORCH_FLAGS:-}
JAVA_BENCH=${JAVA_BENCH:-ChunkTrainingBenchmark.trainPrepared}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=bench/out/compare-jars
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt
if [[ $# -lt 1 ]]; then
  echo "usage: bench/compare-jars.sh JAR [JAR ...]" >&2
  exit 2
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); torch: $($PYTHON -c 'import torch; print(torch.__version__)')"
for r in $(seq 1 "$ROUNDS"); do
  i=0
  for jar in "$@"; do
    i=$((i + 1))
    echo "round $r/$ROUNDS: $jar ($JAVA_BENCH), load $(cut -d' ' -f1 /proc/loadavg) ..."
    java --add-modules jdk.incubator.vector -jar "$jar" "$JAVA_BENCH\$" -p hidden="$HIDDEN" -p inputs="$INPUTS" -p layers="$LAYERS" \
      -f 1 -wi 3 -w 1s -i 5 -r 1s -prof io.streamgru.bench.CpuTimeProfiler \
      -rf json -rff "$OUT/java-$i-$r.json" > "$OUT/java-$i-$r.txt" 2>&1
  done
  echo "round $r/$ROUNDS: pytorch, load $(cut -d' ' -f1 /proc/loadavg) ..."
  # shellcheck disable=SC2086
  "$PYTHON" bench/pytorch_online.py --hidden "$HIDDEN" --inputs "$INPUTS" --layers "$LAYERS" $TORCH_FLAGS \
    > "$OUT/torch-$r.json"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PYTHON" - "$OUT" "$ROUNDS" "$@" <<'EOF'
import json, statistics, sys
out, rounds, jars = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
med = statistics.median
def java(i, r):
    j = json.load(open(f"{out}/java-{i}-{r}.json"))[0]
    wall = med(v for fork in j["primaryMetric"]["rawData"] for v in fork)
    cpu = med(v for fork in j["secondaryMetrics"]["cpu.time.per.op"]["rawData"] for v in fork)
    return 1e6 / wall, 1e6 / cpu
torch = [json.loads(open(f"{out}/torch-{r}.json").read().strip().splitlines()[-1]) for r in range(1, rounds + 1)]
tw = [t["records_per_s_median"] for t in torch]
tc = [t["records_per_cpu_s_median"] for t in torch]
rows = {i: [java(i, r) for r in range(1, rounds + 1)] for i in range(1, len(jars) + 1)}
print()
print(f"{'build':<40} {'rec/cpu-s per round':>30} {'median':>8} {'rec/s':>8} {'vs first':>9} {'vs torch cpu':>12} {'vs torch wall':>13}")
summary = []
for i, jar in enumerate(jars, 1):
    cpu = [x[1] for x in rows[i]]
    wall = [x[0] for x in rows[i]]
    vs_first = med(c / f[1] for c, f in zip(cpu, rows[1]))
    vs_tc = med(c / t for c, t in zip(cpu, tc))
    vs_tw = med(w / t for w, t in zip(wall, tw))
    print(f"{jar:<40} {' '.join(f'{c:,.0f}' for c in cpu):>30} {med(cpu):>8,.0f} {med(wall):>8,.0f} "
          f"{vs_first:>8.3f}x {vs_tc:>11.1f}x {vs_tw:>12.1f}x")
    summary.append({"jar": jar, "records_per_cpu_s": [round(c) for c in cpu], "records_per_cpu_s_median": round(med(cpu)),
                    "records_per_s_median": round(med(wall)), "vs_first_cpu": round(vs_first, 3),
                    "vs_torch_cpu": round(vs_tc, 2), "vs_torch_wall": round(vs_tw, 2)})
print(f"{'pytorch (' + torch[0]['dtype'] + ')':<40} {' '.join(f'{c:,.0f}' for c in tc):>30} {med(tc):>8,.0f} {med(tw):>8,.0f}")
print(json.dumps({"java": summary, "torch_records_per_cpu_s": [round(c) for c in tc],
                  "torch_records_per_s": [round(w) for w in tw], "torch_dtype": torch[0]["dtype"]}))
EOF
