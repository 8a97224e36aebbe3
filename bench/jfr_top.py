#!/usr/bin/python3
"""Where the time goes, from a JFR recording (JMH: -prof jfr:dir=DIR).

Aggregates jdk.ExecutionSample events (not safepoint-biased) of the JMH worker thread by the top
frame's method ("self") and by each model-core/optim method anywhere on the stack ("total"), and
prints the shares. Inlined methods are reported as their own frames by JFR.

usage: bench/jfr_top.py profile.jfr [--top N]
"""
import collections
import json
import subprocess
import sys


def frames_of(event):
    st = event["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f["method"]
        cls = m["type"]["name"].replace("/", ".").rsplit(".", 1)[-1]
        out.append(f"{cls}.{m['name']}")
    return out


def main(argv):
    path = argv[0]
    top = int(argv[argv.index("--top") + 1]) if "--top" in argv else 20
    raw = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    selfc = collections.Counter()
    totalc = collections.Counter()
    n = 0
    for e in events:
        thread = (e["values"].get("sampledThread") or {}).get("javaName", "")
        if "jmh-worker" not in thread:
            continue
        fr = frames_of(e)
        if not fr:
            continue
        n += 1
        selfc[fr[0]] += 1
        for name in set(fr):
            totalc[name] += 1
    print(f"{n} samples of the benchmark thread")
    print(f"{'self %':>7}  {'total %':>7}  method")
    for name, c in selfc.most_common(top):
        print(f"{100.0 * c / n:7.1f}  {100.0 * totalc[name] / n:7.1f}  {name}")
    print("\ntotal % (anywhere on the stack) of the model's entry points:")
    for name in ["GruModel.step", "PreparedModel.step", "PreparedModel.refresh", "DenseKernels.gates", "TruncatedBptt.run", "GruCell.forward", "GruCell.backward",
                 "GruCell.accumulateGradients", "CellBuffers.loadWeights", "CellBuffers.loadGradient",
                 "CellBuffers.storeGradient", "OutputHead.forward", "OutputHead.backward",
                 "GradientAccumulator.commitChunk", "GradientAccumulator.step", "Adam.step"]:
        if totalc[name]:
            print(f"{100.0 * totalc[name] / n:7.1f}  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
