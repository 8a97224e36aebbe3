#!/usr/bin/env bash
# `evaluate --json`'s train_records_per_second of several builds of streamgru.jar and PyTorch's
# online learner (bench/pytorch_online.py) at the same shape (H=64, I=8: six features and the two
# autoregressive inputs, k=32, W=32, one thread), in turns in every round; prints the medians
# and the ratios to the first jar and to PyTorch. The data: bench/out/speed-h64.csv (written here
# if missing: six noisy sines and a target, one key, ROWS rows).
#
#   bench/compare-evaluate.sh bench/out/before-streamgru.jar stream-app/target/streamgru.jar
#
# A build may name the Java launcher that runs it, LAUNCHER=JAR, to compare JDKs on one jar:
#
#   bench/compare-evaluate.sh stream-app/target/streamgru.jar \
#       /usr/lib/jvm/temurin-25-jdk-amd64/bin/java=stream-app/target/streamgru.jar
#
# Wall-clock rates on a shared machine move with its load: compare only within one run. The
# process's CPU seconds (user + sys, JIT and GC included) are printed too. JAVA_OPTS goes to every
# evaluate: JAVA_OPTS="--add-modules jdk.incubator.vector" gives model-core its Vector API kernels,
# which pay off only past a few hundred thousand rows (their JIT warm-up costs ~1.5 s of CPU; at
# the default 100,000 rows they were slower: docs/bench-results/model-core-2026-12-04.md).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ROWS=${ROWS:-100000}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=bench/out/compare-evaluate
DATA=bench/out/speed-h64-$ROWS.csv
mkdir -p "$OUT"
rm -f "$OUT"/*
if [[ $# -lt 1 ]]; then
  echo "usage: bench/compare-evaluate.sh [LAUNCHER=]STREAMGRU_JAR [[LAUNCHER=]STREAMGRU_JAR ...]" >&2
  exit 2
fi
if [[ ! -f "$DATA" ]]; then
  "$PYTHON" - "$DATA" "$ROWS" <<'EOF'
import math, random, sys
random.seed(5)
with open(sys.argv[1], "w") as f:
    f.write("t,f1,f2,f3,f4,f5,f6,y\n")
    for t in range(int(sys.argv[2])):
        fs = [math.sin(2 * math.pi * t / (8 + 5 * j) + j) + 0.1 * (2 * random.random() - 1) for j in range(6)]
        y = math.sin(2 * math.pi * (t + 1) / 8) + 0.5 * fs[1] + 0.1 * (2 * random.random() - 1)
        f.write(f"{t},{','.join(f'{v:.6f}' for v in fs)},{y:.6f}\n")
EOF
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  i=0
  for build in "$@"; do
    i=$((i + 1))
    launcher=java
    jar=$build
    if [[ $build == *=* ]]; then
      launcher=${build%%=*}
      jar=${build#*=}
    fi
    echo "round $r/$ROUNDS: $build, load $(cut -d' ' -f1 /proc/loadavg) ..."
    /usr/bin/time -f '%U %S' -o "$OUT/time-$i-$r.txt" "$launcher" ${JAVA_OPTS:-} -jar "$jar" evaluate \
      --input "$DATA" --target y --features f1,f2,f3,f4,f5,f6 --hidden 64 --chunk 32 --window 32 --linear-lags 0 \
      --json --quiet > "$OUT/eval-$i-$r.json"  # no linear path: the same model as PyTorch's
  done
  echo "round $r/$ROUNDS: pytorch, load $(cut -d' ' -f1 /proc/loadavg) ..."
  "$PYTHON" bench/pytorch_online.py --hidden 64 --inputs 8 --layers 1 > "$OUT/torch-$r.json"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PYTHON" - "$OUT" "$ROUNDS" "$@" <<'EOF'
import json, statistics, sys
out, rounds, jars = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
med = statistics.median
torch = [json.loads(open(f"{out}/torch-{r}.json").read().strip().splitlines()[-1]) for r in range(1, rounds + 1)]
tw = [t["records_per_s_median"] for t in torch]
rates = {i: [json.load(open(f"{out}/eval-{i}-{r}.json"))["train_records_per_second"] for r in range(1, rounds + 1)]
         for i in range(1, len(jars) + 1)}
cpu = {i: [sum(map(float, open(f"{out}/time-{i}-{r}.txt").read().split()[-2:])) for r in range(1, rounds + 1)]
       for i in range(1, len(jars) + 1)}
print()
print(f"{'build':<44} {'train records/s per round':>28} {'median':>8} {'vs first':>9} {'vs torch':>9} {'CPU s (median)':>15}")
summary = []
for i, jar in enumerate(jars, 1):
    vs_first = med(a / b for a, b in zip(rates[i], rates[1]))
    vs_torch = med(a / t for a, t in zip(rates[i], tw))
    print(f"{jar:<44} {' '.join(f'{x:,.0f}' for x in rates[i]):>28} {med(rates[i]):>8,.0f} {vs_first:>8.3f}x "
          f"{vs_torch:>8.1f}x {med(cpu[i]):>15.2f}")
    summary.append({"jar": jar, "train_records_per_second": [round(x) for x in rates[i]],
                    "median": round(med(rates[i])), "vs_first": round(vs_first, 3), "vs_torch_wall": round(vs_torch, 2),
                    "process_cpu_s": cpu[i]})
print(f"{'pytorch (' + torch[0]['dtype'] + ', records/s)':<44} {' '.join(f'{x:,.0f}' for x in tw):>28} {med(tw):>8,.0f}")
print(json.dumps({"evaluate": summary, "torch_records_per_s": tw, "torch_dtype": torch[0]["dtype"]}))
EOF
