#!/usr/bin/python3
"""The combination of experts (learner.combine) against the model alone, per series, as docs/QUALITY.md
("Never much worse than persistence") records it.

Runs `streamgru evaluate --json` with the defaults (the combination on) over the collection of
bench/interval_quality.py (the seed tasks, examples/sensors.csv, its synthetic series) and, when
given, the real series of bench/real_series.py, and prints one Markdown table: MAE over the last 10 %
of rows of the published (combined) forecast and of the model alone (`model_alone`, the same run: the
combination never changes the model), persistence's, and both ratios to persistence.

Usage: /usr/bin/python3 bench/experts_quality.py JAR SEED_TASKS_DIR [REAL_DIR [OUT_DIR]]
       (REAL_DIR: where bench/real_series.py wrote series.tsv and its files)
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interval_quality  # noqa: E402  (the collection's series and their evaluate arguments)


def real(real_dir):
    tasks = []
    with open(os.path.join(real_dir, "series.tsv")) as f:
        for line in f:
            name, _, path, args = line.rstrip("\n").split("\t")
            tasks.append(("real: " + name, os.path.join(real_dir, path), args.split()))
    return tasks


def main():
    jar, seed_dir = sys.argv[1], sys.argv[2]
    real_dir = sys.argv[3] if len(sys.argv) > 3 else None
    out = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             "out", "intervals")
    os.makedirs(out, exist_ok=True)
    examples = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "sensors.csv")
    tasks = interval_quality.seed_tasks(seed_dir, out) + [
        ("examples/sensors.csv", examples,
         ["--target", "temperature", "--key", "sensor", "--features", "occupancy,humidity"])] \
        + interval_quality.synthetic(out) + (real(real_dir) if real_dir else [])
    print("| series | persistence MAE last 10 % | combined | ratio | model alone | ratio | coverage (last 10 %) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    worst = 0.0
    for name, path, args in tasks:
        run = subprocess.run(["java", "-jar", jar, "evaluate", "--input", path, *args, "--json", "--quiet"],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(f"| {name} | evaluate failed: {run.stderr.strip()} | | | | | |")
            continue
        r = json.loads(run.stdout)
        p, c, m = r["persistence_mae_last10"], r["mae_last10"], r["model_alone"]["mae_last10"]
        worst = max(worst, c / p)
        iv = r["interval"]
        print(f"| {name} | {p:.4g} | {c:.4g} | {c / p:.3f} | {m:.4g} | {m / p:.3f} "
              f"| {iv['coverage']:.3f} ({iv['coverage_last10']:.3f}) |", flush=True)
    print(f"\nlargest ratio of the combined forecast to persistence: {worst:.3f}")


if __name__ == "__main__":
    main()
