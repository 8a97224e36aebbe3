#!/usr/bin/env bash
# Drift check of candidate learner defaults (docs/benchmarks-defaults.md, "A floor under the decay").
#
# A streaming learner must keep adapting when what it sees changes. For every candidate this runs
# `streamgru evaluate --predictions` on series with one known change and reports the model's MAE
#   after   over the 5% of rows right after the change (how fast it recovers),
#   last10  over the last 10% of rows (where it settles; evaluate's mae_last10),
#   before  over the 5% of rows right before the change (the steady state it had reached),
# each next to persistence's (the last known value of the same key) on the same rows.
#
# The series (bench/out/drift.tsv, written by bench/synthetic_series.py, plus the committed example):
#   sensors          examples/sensors.csv, `--target temperature --key sensor --features occupancy,humidity`:
#                    room-b's level shifts by +2 degC after hour 2688 (row 8,069 of 12,096; 2/3 of
#                    the rows). "after" scores room-b's rows only: its first 202 rows (5% of its
#                    4,032) from the shift on; "before" its 202 rows before; "last10" all sensors.
#   drift_sine       100,000 points, level +2 std and frequency 0.02 -> 0.05 at 60%, horizon 1
#   drift_sine_long  the same over 1,000,000 points (the change at row 600,001)
#
# Usage:  CANDIDATES="lr=0.003 chunk=16 window=16 hidden=32 norm=on ar=auto sched=constant; ..." \
#           bench/drift-check.sh
#   The candidates are written as in bench/choose-defaults.sh (ar is always auto here) and separated
#   by ';'; the first is the reference the others are compared with (ratio columns). Default: the
#   candidates of the study.
#   env: JAR=stream-app/target/streamgru.jar  OUT=bench/out  SEEDS="42"  ONLY="sensors drift_sine ..."
# Results are cached in $OUT/drift-check.jsonl (one line per series, seed and argument list).
# Needs: java 17, python3 (the standard library only), and numpy for bench/synthetic_series.py.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-stream-app/target/streamgru.jar}
OUT=${OUT:-bench/out}
SEEDS=${SEEDS:-42}
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
BASE="chunk=16 window=16 hidden=32 norm=on ar=auto"
CANDIDATES=${CANDIDATES:-"lr=0.003 $BASE sched=constant;
  lr=0.01 $BASE sched=inverse:1:500;
  lr=0.01 $BASE sched=inverse:1:500:0.0003;
  lr=0.01 $BASE sched=inverse:1:500:0.001;
  lr=0.01 $BASE sched=inverse:1:500:0.002"}
RESULTS=$OUT/drift-check.jsonl

[ -f "$JAR" ] || ./mvnw -B -q -o -DskipTests package
[ -f "$OUT/drift.tsv" ] || "$PYTHON" bench/synthetic_series.py "$OUT"
touch "$RESULTS"
# Results cached before the schedule was always passed explicitly have no --schedule in their key:
# they ran under the default of that time, constant. Name it, so that they are found again.
python3 - "$RESULTS" <<'PY'
import json, sys
path = sys.argv[1]
lines = open(path).read().splitlines()
out, changed = [], 0
for line in lines:
    r = json.loads(line)
    if "--schedule" not in r["key"]:
        head, seed = r["key"].rsplit(" --seed ", 1)
        r["key"] = f"{head} --schedule constant --seed {seed}"
        line, changed = json.dumps(r), changed + 1
    out.append(line)
if changed:
    open(path, "w").write("".join(l + "\n" for l in out))
PY

# name, file, evaluate arguments, first row after the change (1-based), key "after"/"before" score ("" = all)
manifest() {
  printf 'sensors\texamples/sensors.csv\t--target temperature --key sensor --features occupancy,humidity\t8069\troom-b\n'
  while IFS=$'\t' read -r name file own change key; do
    [ -n "$name" ] && printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$OUT/$file" "$own" "$change" "$key"
  done < "$OUT/drift.tsv"
}

get() { local kv; for kv in $1; do [ "${kv%%=*}" = "$2" ] && { echo "${kv#*=}"; return; }; done; }

# evaluate arguments of a candidate (as in bench/choose-defaults.sh)
cli_args() {
  local c=$1 a
  a="--lr $(get "$c" lr) --chunk $(get "$c" chunk) --window $(get "$c" window) --hidden $(get "$c" hidden)"
  if [ "$(get "$c" norm)" = on ]; then a+=" --normalize"; else a+=" --no-normalize"; fi
  # always explicit: the learner's default schedule is no longer constant (inverse:1:500:3e-4)
  a+=" --schedule $(get "$c" sched)"
  echo "$a"
}

IFS=";" read -r -a CANDS <<< "$(echo "$CANDIDATES" | tr "\n" " ")"
for i in "${!CANDS[@]}"; do CANDS[$i]=$(echo ${CANDS[$i]}); done   # trim

pred=$OUT/drift-check.predictions.csv
while IFS=$'\t' read -r name file own change key; do
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then continue; fi
  for c in "${CANDS[@]}"; do
    for seed in $SEEDS; do
      args="$own $(cli_args "$c") --seed $seed"
      k="$name|$args"
      grep -qF "\"key\": \"$k\"" "$RESULTS" && continue
      printf '  %-16s %s\n' "$name" "$args" >&2
      java -jar "$JAR" evaluate --input "$file" $args --predictions "$pred" --json --quiet > "$pred.json"
      python3 - "$k" "$name" "$seed" "$change" "$key" "$pred" "$pred.json" >> "$RESULTS" <<'PY'
import csv, json, math, sys
k, name, seed, change, key, pred, summary = sys.argv[1:]
change = int(change)
rows = []                      # (row, key, prediction, target, persistence)
last = {}
with open(pred) as f:
    for r in csv.DictReader(f):
        p = float(r["prediction"]) if r["prediction"] else math.nan
        t = float(r["target"]) if r["target"] else math.nan
        rows.append((int(r["row"]), r["key"], p, t, last.get(r["key"], math.nan)))
        if math.isfinite(t):
            last[r["key"]] = t
n = len(rows)
mine = [r for r in rows if not key or r[1] == key]
w5 = max(1, round(0.05 * len(mine)))
w1 = max(1, round(0.01 * len(mine)))
at = next(i for i, r in enumerate(mine) if r[0] >= change)

def mae(sel):
    ok = [r for r in sel if math.isfinite(r[2]) and math.isfinite(r[3]) and math.isfinite(r[4])]
    return (sum(abs(r[2] - r[3]) for r in ok) / len(ok), sum(abs(r[4] - r[3]) for r in ok) / len(ok), len(ok))

out = {"key": k, "series": name, "seed": int(seed), "change_row": change, "scored_key": key,
       "window_rows": w5, "summary": json.load(open(summary))}
for label, sel in (("before", mine[at - w5:at]), ("after1", mine[at:at + w1]), ("after", mine[at:at + w5]),
                   ("last10", rows[n - n // 10:])):
    m, p, c = mae(sel)
    out[label] = {"mae": m, "persistence": p, "rows": c}
print(json.dumps(out))
PY
      rm -f "$pred" "$pred.json"
    done
  done
done < <(manifest)

python3 - "$RESULTS" "$SEEDS" "${ONLY:-}" "$(manifest)" "${CANDS[@]}" <<'PY'
import json, sys
results, seeds, only, manifest, *cands = sys.argv[1:]
seeds = seeds.split()
cache = {}
for line in open(results):
    r = json.loads(line)
    cache[r["key"]] = r

def get(c, k):
    return dict(kv.split("=") for kv in c.split())[k]

def cli_args(c):
    a = f"--lr {get(c,'lr')} --chunk {get(c,'chunk')} --window {get(c,'window')} --hidden {get(c,'hidden')}"
    a += " --normalize" if get(c, "norm") == "on" else " --no-normalize"
    a += f" --schedule {get(c, 'sched')}"
    return a

series = [l.split("\t") for l in manifest.splitlines() if l.strip()]
series = [(s[0], s[2]) for s in series if not only or s[0] in only.split()]

def short(c):
    return f"lr {get(c, 'lr')}, {get(c, 'sched')}" + ("" if get(c, "hidden") == "32" else f", hidden {get(c, 'hidden')}")

print("MAE (mean over seeds " + " ".join(seeds) + "); in brackets: the ratio to the first candidate")
print("| series | window | persistence | " + " | ".join(short(c) for c in cands) + " |")
print("|---|---|---:|" + "---:|" * len(cands))
for name, own in series:
    for w, label in (("before", "5% before"), ("after1", "1% after"), ("after", "5% after"), ("last10", "last 10%")):
        cells, ref, pers = [], None, None
        for c in cands:
            got = [cache.get(f"{name}|{own} {cli_args(c)} --seed {s}") for s in seeds]
            got = [g for g in got if g]
            if not got:
                cells.append("–")
                continue
            m = sum(g[w]["mae"] for g in got) / len(got)
            pers = got[0][w]["persistence"]
            if ref is None:
                ref = m
                cells.append(f"{m:.4g}")
            else:
                cells.append(f"{m:.4g} ({m / ref:.2f})")
        print(f"| {name} | {label} | {pers:.4g} | " + " | ".join(cells) + " |")
PY
