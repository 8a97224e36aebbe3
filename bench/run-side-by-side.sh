#!/usr/bin/env bash
# Java (JMH ChunkTrainingBenchmark) and PyTorch (bench/pytorch_online.py) doing the same online work
# per record, H=64, I=8, one layer, k=32, W=32, one thread each, run alternately on this machine;
# prints records/s of both and the ratio (median over the rounds).
#
#   bench/run-side-by-side.sh              # 3 rounds, PyTorch float32
#   ROUNDS=5 TORCH_FLAGS=--float64 HIDDEN=128 bench/run-side-by-side.sh
#
# Two rates per side: wall clock (what JMH and perf_counter report) and thread CPU time (the Java
# benchmark thread via -prof io.streamgru.bench.CpuTimeProfiler, PyTorch via time.thread_time()).
# On a shared machine with load above its core count the wall-clock rates drop by the share of time
# the thread waits for a core; the CPU-time rates are the cost on one core. See docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
HIDDEN=${HIDDEN:-64}
INPUTS=${INPUTS:-8}
LAYERS=${LAYERS:-1}
TORCH_FLAGS=${TORCH_FLAGS:-}
JAVA_BENCH=${JAVA_BENCH:-ChunkTrainingBenchmark.trainPrepared}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=bench/out/side-by-side
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -o package -DskipTests -pl model-core,schemas,stream-app,bench || ./mvnw -B -q package -DskipTests -pl model-core,schemas,stream-app,bench
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); torch: $($PYTHON -c 'import torch; print(torch.__version__)')"

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS: java ($JAVA_BENCH) ..."
  java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar "$JAVA_BENCH\$" -p hidden="$HIDDEN" -p inputs="$INPUTS" -p layers="$LAYERS" \
    -f 1 -wi 3 -w 1s -i 5 -r 1s -prof io.streamgru.bench.CpuTimeProfiler \
    -rf json -rff "$OUT/java-$r.json" > "$OUT/java-$r.txt" 2>&1
  echo "round $r/$ROUNDS: pytorch ..."
  # shellcheck disable=SC2086
  "$PYTHON" bench/pytorch_online.py --hidden "$HIDDEN" --inputs "$INPUTS" --layers "$LAYERS" $TORCH_FLAGS \
    > "$OUT/torch-$r.json"
done

"$PYTHON" - "$OUT" "$ROUNDS" <<'EOF'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
rows = []
for r in range(1, rounds + 1):
    j = json.load(open(f"{out}/java-{r}.json"))[0]
    wall_us = statistics.median(v for fork in j["primaryMetric"]["rawData"] for v in fork)
    cpu_us = statistics.median(v for fork in j["secondaryMetrics"]["cpu.time.per.op"]["rawData"] for v in fork)
    t = json.loads(open(f"{out}/torch-{r}.json").read().strip().splitlines()[-1])
    rows.append((1e6 / wall_us, 1e6 / cpu_us, t["records_per_s_median"], t["records_per_cpu_s_median"], t["dtype"]))
print()
print(f"{'round':>5} {'java rec/s':>11} {'java rec/cpu-s':>15} {'torch rec/s':>12} {'torch rec/cpu-s':>16} {'ratio wall':>10} {'ratio cpu':>10}")
for i, (jw, jc, tw, tc, _) in enumerate(rows, 1):
    print(f"{i:>5} {jw:>11.0f} {jc:>15.0f} {tw:>12.0f} {tc:>16.0f} {jw / tw:>10.1f} {jc / tc:>10.1f}")
med = lambda k: statistics.median(k)
jw, jc = med([x[0] for x in rows]), med([x[1] for x in rows])
tw, tc = med([x[2] for x in rows]), med([x[3] for x in rows])
print(f"{'median':>5} {jw:>11.0f} {jc:>15.0f} {tw:>12.0f} {tc:>16.0f} "
      f"{med([x[0] / x[2] for x in rows]):>10.1f} {med([x[1] / x[3] for x in rows]):>10.1f}")
print(json.dumps({"java_records_per_s": round(jw), "java_records_per_cpu_s": round(jc),
                  "torch_records_per_s": round(tw), "torch_records_per_cpu_s": round(tc), "torch_dtype": rows[0][4],
                  "ratio_wall_median": round(med([x[0] / x[2] for x in rows]), 2),
                  "ratio_cpu_median": round(med([x[1] / x[3] for x in rows]), 2)}))
EOF
