#!/usr/bin/python3
"""Coverage of StreamGRU's prediction intervals, per series, as docs/QUALITY.md ("Intervals") records it.

Runs `streamgru evaluate --json` (defaults: 90 % intervals) over the seed tasks, examples/sensors.csv
and synthetic series written here (level shifts mid-run and inside the last 10 %, a change of noise,
random walk, white noise, regime switches, seasonal with trend, keys in units 1e6 apart, a longer
horizon), and prints one Markdown table: coverage over the whole run and over the last 10 % of rows,
mean interval width over the last 10 %, MAE and persistence MAE over the last 10 %, and whether the
coverage is in the accepted range: 87-93 %, or, where a stretch has fewer than 1,000 scored
forecasts, the binomial 99 % band around 90 % for its size (90 % +- 2.576 sqrt(0.09 / n)).

Usage: /usr/bin/python3 bench/interval_quality.py JAR SEED_TASKS_DIR [OUT_DIR]
       (JAR: stream-app/target/streamgru.jar; SEED_TASKS_DIR: ../shared/data/seed-tasks)
Deterministic: every synthetic series from a fixed seed (Python's random).
"""
import gzip
import json
import math
import os
import random
import shutil
import subprocess
import sys

N = 10_000


def write(path, header, rows):
    with open(path, "w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(x if isinstance(x, str) else repr(x) for x in r) + "\n")


def synthetic(out):
    """(name, file, evaluate arguments) of each synthetic series, written into out."""
    rng = random.Random(20261204)
    tasks = []

    def univariate(name, values, args=("--horizon", "1")):
        path = os.path.join(out, name + ".csv")
        write(path, "x", [(v,) for v in values])
        tasks.append((name, path, ["--target", "x", *args]))

    univariate("level_shift_mid", [math.sin(0.05 * t) + rng.gauss(0, 0.1) + (5 if t >= N // 2 else 0)
                                   for t in range(N)])
    univariate("level_shift_last10", [math.sin(0.05 * t) + rng.gauss(0, 0.1) + (5 if t >= 9_500 else 0)
                                      for t in range(N)])
    univariate("level_shift_mid_h5", [math.sin(0.05 * t) + rng.gauss(0, 0.1) + (5 if t >= N // 2 else 0)
                                      for t in range(N)], ("--horizon", "5"))
    univariate("noise_change", [math.sin(0.05 * t) + rng.gauss(0, 0.5 if t >= N // 2 else 0.05)
                                for t in range(N)])
    walk, level = [], 0.0
    for _ in range(N):
        level += rng.gauss(0, 1)
        walk.append(level)
    univariate("random_walk", walk)
    univariate("white_noise", [rng.gauss(0, 1) for _ in range(N)])
    regime, x = [], 0.0
    for t in range(N):
        phi = 0.9 if (t // 2_000) % 2 == 0 else -0.5
        x = phi * x + rng.gauss(0, 1)
        regime.append(x)
    univariate("regime_switch_ar1", regime)
    univariate("seasonal_trend", [10 + 0.001 * t + math.sin(2 * math.pi * t / 24)
                                  + 0.5 * math.sin(2 * math.pi * t / 168) + rng.gauss(0, 0.2) for t in range(N)])
    rows = []
    for t in range(N):
        for k, unit in enumerate((1e-3, 1.0, 1e3)):
            rows.append((f"k{k}", unit * (math.sin(0.05 * t + k) + rng.gauss(0, 0.1))))
    path = os.path.join(out, "multi_scale_keys.csv")
    write(path, "key,x", rows)
    tasks.append(("multi_scale_keys (3 keys, units 1e-3..1e3)", path, ["--target", "x", "--key", "key"]))
    return tasks


def seed_tasks(seed_dir, out):
    integral = os.path.join(out, "integral_250k.csv")
    if not os.path.exists(integral):
        with gzip.open(os.path.join(seed_dir, "integral_250k.csv.gz"), "rb") as src, open(integral, "wb") as dst:
            shutil.copyfileobj(src, dst)
    drivers = "temp,rad,rain,hum,nutr,ar,mgmt,soil"
    return [
        ("seed: sine_slow", os.path.join(seed_dir, "sine_slow.csv"), ["--target", "x", "--horizon", "1"]),
        ("seed: sine_fast", os.path.join(seed_dir, "sine_fast.csv"), ["--target", "x", "--horizon", "1"]),
        ("seed: integral_250k", integral,
         ["--target", "y", "--features", "u", "--horizon", "0", "--no-autoregressive"]),
        ("seed: biomass", os.path.join(seed_dir, "biomass.csv"),
         ["--target", "biomass", "--features", drivers, "--horizon", "0"]),
    ]


def band(n):
    """The accepted coverage range for a stretch of n scored forecasts."""
    if n >= 1000:
        return 0.87, 0.93
    half = 2.576 * math.sqrt(0.09 / n)
    return 0.9 - half, 0.9 + half


def main():
    jar, seed_dir = sys.argv[1], sys.argv[2]
    out = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             "out", "intervals")
    os.makedirs(out, exist_ok=True)
    examples = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "sensors.csv")
    tasks = seed_tasks(seed_dir, out) + [
        ("examples/sensors.csv (3 rooms, a level shift in one)", examples,
         ["--target", "temperature", "--key", "sensor", "--features", "occupancy,humidity"])] + synthetic(out)
    print("| series | scored (last 10 %) | coverage | coverage last 10 % | accepted range (whole / last 10 %) "
          "| mean width last 10 % | MAE last 10 % | persistence MAE last 10 % | ok |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---|")
    failures = 0
    for name, path, args in tasks:
        run = subprocess.run(["java", "-jar", jar, "evaluate", "--input", path, *args, "--json", "--quiet"],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(f"| {name} | evaluate failed: {run.stderr.strip()} | | | | | | | no |")
            failures += 1
            continue
        r = json.loads(run.stdout)
        iv = r["interval"]
        whole, last = band(iv["scored"]), band(iv["scored_last10"])
        ok = whole[0] <= iv["coverage"] <= whole[1] and last[0] <= iv["coverage_last10"] <= last[1]
        failures += 0 if ok else 1
        print(f"| {name} | {iv['scored']:,} ({iv['scored_last10']:,}) | {iv['coverage']:.4f} "
              f"| {iv['coverage_last10']:.4f} | {whole[0]:.3f}-{whole[1]:.3f} / {last[0]:.3f}-{last[1]:.3f} "
              f"| {iv['mean_width_last10']:.4g} | {r['mae_last10']:.4g} | {r['persistence_mae_last10']:.4g} "
              f"| {'yes' if ok else 'NO'} |", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
