#!/usr/bin/env python3
"""Runs `streamgru evaluate` (defaults, horizon 1, one online pass) on the robustness series of
docs/ROBUSTNESS.md and prints each run's MAE over its last 10 % divided by persistence's.

  python3 bench/robustness_check.py [stream-app/target/streamgru.jar] [--seed-tasks DIR]

The series are generated here (sin(0.01 t) in six units, two keys twelve orders of magnitude apart,
a key joining late, one 1e300 target, a x1000 level shift); with --seed-tasks the seed tasks' CSVs
(sine_slow, sine_fast, biomass, integral_250k.csv.gz) are run too.
"""
import csv, gzip, json, math, os, shutil, subprocess, sys, tempfile

args = sys.argv[1:]
seed_dir = None
if "--seed-tasks" in args:
    i = args.index("--seed-tasks"); seed_dir = os.path.abspath(args[i + 1]); del args[i:i + 2]
jar = os.path.abspath(args[0] if args else "stream-app/target/streamgru.jar")
work = tempfile.mkdtemp(prefix="robustness-")
N = 10000


def write(name, header, rows):
    with open(os.path.join(work, name), "w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in r) + "\n")


def evaluate(extra):
    out = subprocess.run(["java", "-jar", jar, "evaluate", "--json", "--quiet"] + extra, capture_output=True,
                         text=True, cwd=work)
    try:
        return json.loads(out.stdout)
    except ValueError:
        return {"error": (out.stdout + out.stderr).strip().splitlines()[-1:]}


def ratio(j):
    if "error" in j:
        return "error: %s" % j["error"]
    mae = j["mae_last10"]
    return "%.4g (MAE %.4g, persistence %.4g%s)" % (
        mae / j["persistence_mae_last10"] if mae is not None else float("nan"), mae if mae is not None else float("nan"),
        j["persistence_mae_last10"], ", rejected %s" % j["rejected_rows"] if j.get("rejected_rows") else "")


def per_key(predictions, lo_frac=0.9, start=None, end=None):
    by_key = {}
    for r in csv.DictReader(open(predictions)):
        by_key.setdefault(r["key"], []).append(r)
    res = {}
    for k, rs in sorted(by_key.items()):
        lo, hi = (int(len(rs) * lo_frac), len(rs)) if start is None else (start, min(end, len(rs)))
        e = p = 0.0
        for i in range(max(lo, 1), hi):
            t = float(rs[i]["target"])
            e += abs(float(rs[i]["prediction"]) - t)
            p += abs(float(rs[i - 1]["target"]) - t)
        res[k] = round(e / p, 4) if p > 0 else float("nan")
    return res


for c, off in [(1e-9, 3e-9), (1e-7, 3e-7), (1e-3, 5e-3), (1.0, 0.0), (1e9, 5e9), (1e12, 3e12)]:
    write("sin_%g.csv" % c, "x", [(math.sin(0.01 * t) * c + off,) for t in range(N)])
write("two_keys.csv", "k,x", [r for t in range(N) for r in (("a", math.sin(0.01 * t)),
                                                             ("b", 1e12 * math.sin(0.1 * t) + 3e12))])
write("late_key.csv", "k,x", [r for t in range(N) for r in ([("a", math.sin(0.01 * t))]
                                                            + ([("c", 1e-6 * math.sin(0.05 * t) + 2e-6)] if t >= 5000 else []))])
absurd = [(math.sin(0.01 * t),) for t in range(N)]
absurd[5000] = (1e300,)
write("absurd.csv", "x", absurd)
write("shift.csv", "x", [(1000 * math.sin(0.01 * t) + 1000 if t >= 5000 else math.sin(0.01 * t),) for t in range(N)])

uni = ["--target", "x", "--horizon", "1"]
for c in ["1e-09", "1e-07", "0.001", "1", "1e+09", "1e+12"]:
    print("sin(0.01 t) in units of %-6s %s" % (c, ratio(evaluate(["--input", "sin_%s.csv" % c] + uni))))
print("one target of 1e300           ", ratio(evaluate(["--input", "absurd.csv"] + uni)))
print("x1000 level shift at 5,000     ", ratio(evaluate(["--input", "shift.csv"] + uni)))
for name in ["two_keys", "late_key"]:
    pred = os.path.join(work, name + "_predictions.csv")
    j = evaluate(["--input", name + ".csv", "--key", "k", "--predictions", pred] + uni)
    print("%-30s %s; per key, last 10 %%: %s" % (name, ratio(j), per_key(pred) if "error" not in j else ""))
    if name == "late_key" and "error" not in j:
        print("  key c's records 50-500:       %s" % per_key(pred, start=50, end=500))
if seed_dir:
    print("sine_slow", ratio(evaluate(["--input", os.path.join(seed_dir, "sine_slow.csv"), "--target", "x", "--horizon", "1"])))
    print("sine_fast", ratio(evaluate(["--input", os.path.join(seed_dir, "sine_fast.csv"), "--target", "x", "--horizon", "1"])))
    print("biomass  ", ratio(evaluate(["--input", os.path.join(seed_dir, "biomass.csv"), "--target", "biomass", "--features",
                                       "temp,rad,rain,hum,nutr,ar,mgmt,soil", "--horizon", "0"])))
    gz = os.path.join(seed_dir, "integral_250k.csv.gz")
    if os.path.exists(gz):
        with gzip.open(gz, "rb") as src, open(os.path.join(work, "integral.csv"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        print("integral ", ratio(evaluate(["--input", "integral.csv", "--target", "y", "--features", "u", "--horizon", "0",
                                           "--no-autoregressive"])))
shutil.rmtree(work)
