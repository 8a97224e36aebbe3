#!/usr/bin/python3
"""Synthetic learning-quality tasks for StreamGRU's `evaluate` (see docs/benchmarks-defaults.md).

Writes, under bench/out/ (git-ignored; nothing here is committed but this script):

  sin_0.01.csv    t,value   value = sin(0.01 t), t = 0..9,999    (slow sine: horizon 1, univariate)
  sin_0.1.csv     t,value   value = sin(0.1 t),  t = 0..9,999    (fast sine: horizon 1, univariate)
  integrator.csv  t,u,y     the saturating integrator, 250,000 steps:
                            u_t piecewise-constant, uniform in [0, 1], redrawn with probability 0.1
                            per step; y_t = clip(y_{t-1} + 0.1 (u_t - 0.5), 0, 1), y_{-1} = 0.5.
                            Evaluated as `--target y --features u --horizon 0 --no-autoregressive`:
                            the model must integrate u in its hidden state, it never sees y.

and appends one line per series to bench/out/series.tsv (name, kind, file, evaluate arguments),
the list bench/choose-defaults.sh runs. Also the drift tasks bench/drift-check.sh runs, listed in
bench/out/drift.tsv instead (name, file, evaluate arguments, first row after the change, key):

  drift_sine.csv       t,value   100,000 points; sin(0.02 t) until t = 59,999, then from t = 60,000
                                 (row 60,001, at 60%) the level jumps by +2 standard deviations of
                                 what came before (+1.41) and the frequency becomes 0.05 (the phase
                                 runs on without a jump). Horizon 1, univariate.
  drift_sine_long.csv  t,value   the same over 1,000,000 points, the change at t = 600,000 (60%):
                                 long enough for an inverse-time decay without a floor to have
                                 fallen to ~1e-4 when the change comes.

Deterministic: numpy's PCG64 with a fixed seed.

Usage: /usr/bin/python3 bench/synthetic_series.py [OUT_DIR]
"""
import os
import sys

import numpy as np

SEED = 20240601


def write_manifest(out, rows):
    path = os.path.join(out, "series.tsv")
    kept = []
    if os.path.exists(path):
        with open(path) as f:
            names = {r[0] for r in rows}
            kept = [line for line in f if line.split("\t", 1)[0] not in names]
    with open(path, "w") as f:
        f.writelines(kept)
        for r in rows:
            f.write("\t".join(r) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
    os.makedirs(out, exist_ok=True)
    manifest = []

    t = np.arange(10_000)
    for freq in ("0.01", "0.1"):
        name = f"sin_{freq}"
        path = os.path.join(out, name + ".csv")
        with open(path, "w") as f:
            f.write("t,value\n")
            for ti, v in zip(t, np.sin(float(freq) * t)):
                f.write(f"{ti},{v:.9f}\n")
        manifest.append((name, "synthetic", name + ".csv", "--target value"))

    n = 250_000
    u, y = saturating_integrator(n)
    path = os.path.join(out, "integrator.csv")
    with open(path, "w") as f:
        f.write("t,u,y\n")
        f.writelines(f"{i},{u[i]:.6f},{y[i]:.6f}\n" for i in range(n))
    manifest.append(("integrator", "synthetic", "integrator.csv",
                     "--target y --features u --horizon 0 --no-autoregressive"))

    write_manifest(out, manifest)
    for name, _, file, _ in manifest:
        print(f"wrote {os.path.join(out, file)}")

    drift = []
    for name, n in (("drift_sine", 100_000), ("drift_sine_long", 1_000_000)):
        change = n * 6 // 10
        values = drift_sine(n, change)
        path = os.path.join(out, name + ".csv")
        with open(path, "w") as f:
            f.write("t,value\n")
            f.writelines(f"{i},{v:.9f}\n" for i, v in enumerate(values))
        print(f"wrote {path}")
        drift.append((name, name + ".csv", "--target value", str(change + 1), ""))
    with open(os.path.join(out, "drift.tsv"), "w") as f:
        f.writelines("\t".join(r) + "\n" for r in drift)


def saturating_integrator(n, seed=SEED):
    """(u, y) of the saturating integrator: u piecewise-constant, uniform in [0, 1], redrawn with
    probability 0.1 per step; y_t = clip(y_{t-1} + 0.1 (u_t - 0.5), 0, 1), y_{-1} = 0.5."""
    rng = np.random.default_rng(seed)
    redraw = rng.random(n) < 0.1
    redraw[0] = True
    draws = rng.random(n)
    u = np.empty(n)
    y = np.empty(n)
    cur_u, prev_y = 0.0, 0.5
    for i in range(n):
        if redraw[i]:
            cur_u = draws[i]
        u[i] = cur_u
        prev_y = min(1.0, max(0.0, prev_y + 0.1 * (cur_u - 0.5)))
        y[i] = prev_y
    return u, y


def drift_sine(n, change, before=0.02, after=0.05):
    """sin of a phase advancing by `before` per step, then by `after` from `change` on, plus a level
    jump of two standard deviations of the values before the change from `change` on."""
    step = np.where(np.arange(n) < change, before, after)
    phase = np.concatenate(([0.0], np.cumsum(step[:-1])))
    values = np.sin(phase)
    values[change:] += 2 * values[:change].std()
    return values


if __name__ == "__main__":
    main()
