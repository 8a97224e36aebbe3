#!/usr/bin/env bash
# Chooses StreamGRU's learner defaults by measurement (docs/benchmarks-defaults.md).
#
# Runs `streamgru evaluate --json --quiet` over every series of bench/out/series.tsv (real sensor
# series from bench/real_series.py, synthetic tasks from bench/synthetic_series.py) for candidate
# defaults, in a coordinate search around the current defaults: one setting (coordinate) at a time
# is varied over its values with the others held, the best value is kept, and passes repeat until
# a whole pass changes nothing (at most MAX_PASSES).
#
# A candidate's score on a real series is its MAE over the last 10% of rows (mean over SEEDS)
# divided by persistence's (the last known value) on the same rows: < 1 beats persistence.
# A challenger replaces the incumbent when it
#   1. misses no synthetic goal the incumbent meets (sin(0.01t), sin(0.1t): MAE last 10% <= 0.003;
#      the saturating integrator without autoregressive input: <= 0.025, and, as a floor while that
#      goal is out of reach, <= 0.040, what a PyTorch online learner reached on the same task),
#   2. beats persistence (ratio < 1) on at least as many real series, and
#   3. lowers the geometric mean of the ratios across the real series by more than MIN_GAIN
#      (relative), so noise on the short series does not move the defaults;
# or when it meets more synthetic goals without breaking 2. After the coordinate passes, PAIRS
# (two coordinates changed at once) are tried against the result with the same rule.
#
# Usage:  bench/choose-defaults.sh            (builds the jar and the data if they are missing)
#   env:  SEEDS="42 1 2"   seeds of the real series (synthetic tasks: 42, evaluate's default)
#         MAX_PASSES=2  MIN_GAIN=0.01  JAR=stream-app/target/streamgru.jar  OUT=bench/out
#         START="lr=0.003 chunk=16 window=16 hidden=32 norm=on ar=auto sched=constant"   the start
#         SCHEDULES="constant inverse:1:500"   learning-rate schedules tried (SCHEDULES=constant: only
#         the settings of LearnerConfig.Defaults, whose schedule is constant)
#         TABLE_ONLY=1  print the tables of the cached results for START and its neighbours, run nothing
#         CANDIDATES="lr=0.003 chunk=16 ... sched=constant; lr=0.01 ... sched=inverse:1:500:0.001"
#                       no search: evaluate exactly these candidates (';'-separated, the first is the
#                       row the table's "change from" refers to) and print their tables
#         SYNTH_SEEDS="42"  seeds of the synthetic tasks; the goals are judged on seed 42, other
#                       seeds are listed in a table of their own (CANDIDATES mode)
# Results are cached in $OUT/choose-defaults.jsonl (one evaluate JSON per series, seed and exact
# argument list), so a rerun only evaluates what is new; delete the file to measure afresh.
# Needs: java 17, python3 (the standard library only).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-stream-app/target/streamgru.jar}
OUT=${OUT:-bench/out}
SEEDS=${SEEDS:-"42 1 2"}
SYNTH_SEEDS=${SYNTH_SEEDS:-42}
MAX_PASSES=${MAX_PASSES:-2}
MIN_GAIN=${MIN_GAIN:-0.01}
START=${START:-"lr=0.003 chunk=16 window=16 hidden=32 norm=on ar=auto sched=constant"}
RESULTS=$OUT/choose-defaults.jsonl
# Debian's python3 has python3-statsmodels (needed by bench/real_series.py only)
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

# The search space: every coordinate and its values (the grid of the issue, plus a decaying schedule).
ORDER=(lr chunk window hidden norm ar sched)
declare -A VALUES=(
  [lr]="0.001 0.003 0.01"
  [chunk]="16 32 64"
  [window]="16 32"
  [hidden]="16 32 64"
  [norm]="on off"
  [ar]="auto off"
  [sched]="${SCHEDULES:-constant inverse:1:500}"
)
# Two coordinates at once, relative to the result of the coordinate passes.
PAIRS=(
  "lr=0.001 hidden=64" "lr=0.01 hidden=16" "lr=0.01 hidden=64" "lr=0.001 chunk=64" "lr=0.01 chunk=32"
  "chunk=32 hidden=64" "chunk=64 hidden=64" "window=32 hidden=64"
  "lr=0.01 sched=inverse:1:500"
)

[ -f "$JAR" ] || ./mvnw -B -q -o -DskipTests package
# Each kind separately: bench/drift-check.sh writes the synthetic series (and series.tsv) too.
grep -qP '^[^\t]+\treal\t' "$OUT/series.tsv" 2>/dev/null || "$PYTHON" bench/real_series.py "$OUT"
grep -qP '^[^\t]+\tsynthetic\t' "$OUT/series.tsv" 2>/dev/null || "$PYTHON" bench/synthetic_series.py "$OUT"
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

# value of coordinate $2 in candidate $1 ("lr=0.003 chunk=16 ...")
get() { local kv; for kv in $1; do [ "${kv%%=*}" = "$2" ] && { echo "${kv#*=}"; return; }; done; }
# candidate $1 with coordinate $2 set to $3
with() { local kv out=""; for kv in $1; do
  if [ "${kv%%=*}" = "$2" ]; then out+="$2=$3 "; else out+="$kv "; fi; done; echo "${out% }"; }

# evaluate arguments of candidate $1 for a series whose own arguments are $2
cli_args() {
  local c=$1 own=$2 a
  a="--lr $(get "$c" lr) --chunk $(get "$c" chunk) --window $(get "$c" window) --hidden $(get "$c" hidden)"
  if [ "$(get "$c" norm)" = on ]; then a+=" --normalize"; else a+=" --no-normalize"; fi
  # The autoregressive input can only be switched off where the series has features (a univariate
  # model has nothing else to read) and the task does not fix it (the integrator's goal is without it).
  if [ "$(get "$c" ar)" = off ] && [[ $own == *--features* ]] && [[ $own != *autoregressive* ]]; then
    a+=" --no-autoregressive"
  fi
  # always explicit: the learner's default schedule is no longer constant (inverse:1:500:3e-4)
  a+=" --schedule $(get "$c" sched)"
  echo "$a"
}

# runs candidate $1 over every series and seed not yet in the cache
run_candidate() {
  local c=$1 name kind file own seeds seed args key
  while IFS=$'\t' read -r name kind file own; do
    [ -n "$name" ] || continue
    if [ "$kind" = real ]; then seeds=$SEEDS; else seeds=$SYNTH_SEEDS; fi
    for seed in $seeds; do
      args="$own $(cli_args "$c" "$own") --seed $seed"
      key="$name|$args"
      grep -qF "\"key\": \"$key\"" "$RESULTS" && continue
      printf '  %-14s seed %-5s %s\n' "$name" "$seed" "$args" >&2
      java -jar "$JAR" evaluate --input "$OUT/$file" $args --json --quiet \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"key": sys.argv[1], "series": sys.argv[2], "kind": sys.argv[3], "seed": int(sys.argv[4]), "result": d}))' \
            "$key" "$name" "$kind" "$seed" >> "$RESULTS"
    done
  done < "$OUT/series.tsv"
}

# python3 report.py MODE CANDIDATES...: MODE=best prints the best candidate, MODE=table the tables
report() {
  python3 - "$OUT/series.tsv" "$RESULTS" "$SEEDS" "$MIN_GAIN" "$@" <<'PY'
import json, math, shlex, sys
manifest, results, seeds, min_gain, mode, *cands = sys.argv[1:]
seeds = seeds.split()
min_gain = float(min_gain)
series = [l.rstrip("\n").split("\t") for l in open(manifest) if l.strip()]
cache = {}
for line in open(results):
    r = json.loads(line)
    cache[r["key"]] = r["result"]
# goal name -> (series, MAE-last-10% threshold)
GOALS = {"sin_0.01": ("sin_0.01", 0.003), "sin_0.1": ("sin_0.1", 0.003), "integrator": ("integrator", 0.025),
         "integrator-pytorch-parity": ("integrator", 0.040)}

def get(c, k):
    return dict(kv.split("=") for kv in c.split())[k]

def cli_args(c, own):
    a = f"--lr {get(c,'lr')} --chunk {get(c,'chunk')} --window {get(c,'window')} --hidden {get(c,'hidden')}"
    a += " --normalize" if get(c, "norm") == "on" else " --no-normalize"
    if get(c, "ar") == "off" and "--features" in own and "autoregressive" not in own:
        a += " --no-autoregressive"
    a += f" --schedule {get(c, 'sched')}"
    return a

def measure(c):
    rows = {}
    for name, kind, file, own in series:
        ss = seeds if kind == "real" else ["42"]
        got = [cache.get(f"{name}|{own} {cli_args(c, own)} --seed {s}") for s in ss]
        if any(g is None for g in got):
            return None
        mae = [g["mae_last10"] if g["mae_last10"] is not None else math.inf for g in got]
        m = sum(mae) / len(mae)
        p = got[0]["persistence_mae_last10"]
        rps = sum(g["train_records_per_second"] or 0 for g in got) / len(got)
        rows[name] = dict(kind=kind, mae=m, maes=mae, pers=p, ratio=m / p, rps=rps,
                          records=got[0]["records"], params=got[0]["parameters"])
    real = [v["ratio"] for v in rows.values() if v["kind"] == "real"]
    geo = math.exp(sum(math.log(r) for r in real) / len(real)) if all(math.isfinite(r) and r > 0 for r in real) else math.inf
    wins = sum(r < 1 for r in real)
    missed = [g for g, (n, t) in GOALS.items() if n in rows and not rows[n]["mae"] <= t]
    return dict(rows=rows, geo=geo, wins=wins, nreal=len(real), missed=missed)

def rank(m):
    return (len(m["missed"]), m["geo"])

ms = {c: measure(c) for c in cands}
if mode == "best":
    # cands[0] is the incumbent; a challenger must miss fewer goals, or miss no more and lower the
    # geometric mean by more than min_gain (relative)
    best = cands[0]
    for c in cands[1:]:
        a, b = ms[c], ms[best]
        if not set(a["missed"]) <= set(b["missed"]) or a["wins"] < b["wins"]:
            continue
        if len(a["missed"]) < len(b["missed"]) or a["geo"] < b["geo"] * (1 - min_gain):
            best = c
    print(best)
    sys.exit(0)

def short(c, base):
    d = [kv for kv in c.split() if kv not in base.split()]
    return " ".join(d) if d else "(start)"

if mode == "search":
    # the coordinate-search table: one row per candidate, one column per series (ratio)
    base = cands[0]
    names = [s[0] for s in series]
    print("| candidate (change from " + base + ") | " + " | ".join(names) + " | geo-mean real | wins | goals missed | records/s (integrator) |")
    print("|---|" + "---|" * (len(names) + 4))
    for c in cands:
        m = ms[c]
        if m is None:
            continue
        cells = []
        for n in names:
            r = m["rows"][n]
            cells.append(f"{r['mae']:.5f}" if r["kind"] == "synthetic" else f"{r['ratio']:.3f}")
        rps = m["rows"].get("integrator", {}).get("rps", float("nan"))
        print(f"| {short(c, base)} | " + " | ".join(cells) +
              f" | {m['geo']:.3f} | {m['wins']}/{m['nreal']} | {', '.join(m['missed']) or 'none'} | {rps:,.0f} |")
elif mode == "table":
    c = cands[0]
    m = ms[c]
    if m is None:
        print(f"candidate: {c}: not every series and seed is in {results} yet (run without TABLE_ONLY)")
        sys.exit(0)
    print(f"candidate: {c}   (real series: mean over seeds {' '.join(seeds)})")
    print("| series | kind | rows | MAE last 10% | persistence MAE last 10% | ratio | records/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for n, r in m["rows"].items():
        goal = "".join(f" (goal ≤ {t})" for g, (s, t) in GOALS.items() if s == n and g == n)
        print(f"| {n} | {r['kind']} | {r['records']:,} | {r['mae']:.4g}{goal} | {r['pers']:.4g} | "
              f"{r['ratio']:.3f} | {r['rps']:,.0f} |")
    print(f"geometric mean of the real series' ratios: {m['geo']:.3f}; beats persistence on "
          f"{m['wins']}/{m['nreal']}; synthetic goals missed: {', '.join(m['missed']) or 'none'}")
elif mode == "seeds":
    # the synthetic tasks' MAE last 10% for every cached seed (the goals are judged on seed 42)
    base = cands[0]
    syn = [s for s in series if s[1] != "real"]
    allseeds = sorted({k.rsplit(" --seed ", 1)[1] for k in cache}, key=lambda x: (x != "42", int(x)))
    cols = [(s, x) for s in syn for x in allseeds
            if any(f"{s[0]}|{s[3]} {cli_args(c, s[3])} --seed {x}" in cache for c in cands)]
    print("| candidate | " + " | ".join(f"{s[0]} seed {x}" for s, x in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for c in cands:
        cells = []
        for s, x in cols:
            g = cache.get(f"{s[0]}|{s[3]} {cli_args(c, s[3])} --seed {x}")
            cells.append(f"{g['mae_last10']:.5f}" if g else "–")
        print(f"| {short(c, base)} | " + " | ".join(cells) + " |")
PY
}

if [ -n "${CANDIDATES:-}" ]; then
  IFS=";" read -r -a cands <<< "$(echo "$CANDIDATES" | tr "\n" " ")"
  for i in "${!cands[@]}"; do cands[$i]=$(echo ${cands[$i]}); done   # trim
  for c in "${cands[@]}"; do
    [ -n "$c" ] || continue
    echo "candidate: $c" >&2
    run_candidate "$c"
  done
  report search "${cands[@]}"; echo
  report seeds "${cands[@]}"
  for c in "${cands[@]}"; do echo; report table "$c"; done
  exit 0
fi

if [ -n "${TABLE_ONLY:-}" ]; then
  tried=("$START")
  for coord in "${ORDER[@]}"; do for v in ${VALUES[$coord]}; do
    c=$(with "$START" "$coord" "$v"); [ "$c" = "$START" ] || tried+=("$c"); done; done
  report search "${tried[@]}"; echo; report table "$START"
  exit 0
fi

current=$START
tried=("$START")
echo "start: $current" >&2
run_candidate "$current"
for ((pass = 1; pass <= MAX_PASSES; pass++)); do
  before=$current
  for coord in "${ORDER[@]}"; do
    cands=("$current")
    for v in ${VALUES[$coord]}; do
      c=$(with "$current" "$coord" "$v")
      [ "$c" = "$current" ] && continue
      echo "pass $pass, $coord=$v: $c" >&2
      run_candidate "$c"
      cands+=("$c")
      [[ " ${tried[*]} " == *" $c "* ]] || tried+=("$c")
    done
    current=$(report best "${cands[@]}")
    echo "pass $pass, after $coord: $current" >&2
  done
  [ "$current" = "$before" ] && break
done
# pairs: two coordinates at once around the result; a winner gets one more coordinate pass
cands=("$current")
for pair in "${PAIRS[@]}"; do
  c=$current
  for kv in $pair; do
    [[ " ${VALUES[${kv%%=*}]} " == *" ${kv#*=} "* ]] || { c=$current; break; }  # a value not searched
    c=$(with "$c" "${kv%%=*}" "${kv#*=}")
  done
  [ "$c" = "$current" ] && continue
  echo "pairs, $pair: $c" >&2
  run_candidate "$c"
  cands+=("$c")
  [[ " ${tried[*]} " == *" $c "* ]] || tried+=("$c")
done
winner=$(report best "${cands[@]}")
if [ "$winner" != "$current" ]; then
  current=$winner
  echo "pairs: $current" >&2
  for coord in "${ORDER[@]}"; do
    cands=("$current")
    for v in ${VALUES[$coord]}; do
      c=$(with "$current" "$coord" "$v")
      [ "$c" = "$current" ] && continue
      run_candidate "$c"
      cands+=("$c")
      [[ " ${tried[*]} " == *" $c "* ]] || tried+=("$c")
    done
    current=$(report best "${cands[@]}")
  done
fi

echo "## Coordinate search (ratio = MAE last 10% / persistence's; synthetic columns: MAE last 10%)"
echo
report search "${tried[@]}"
echo
echo "## Chosen: $current"
echo
report table "$current"
