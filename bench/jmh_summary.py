#!/usr/bin/python3
"""Summarise JMH JSON results (-rf json) robustly on a noisy shared machine.

For every benchmark/parameter combination prints the median, minimum and maximum of the measurement
iterations (JMH's own "Score" is the mean, which one descheduled iteration can skew), the median of
the benchmark thread's CPU time per operation when the run used
-prof io.streamgru.bench.CpuTimeProfiler, and the allocation per operation when it used -prof gc.

usage: bench/jmh_summary.py results.json [more.json ...] [--markdown]
"""
import json
import statistics
import sys


def rows(path):
    with open(path) as f:
        data = json.load(f)
    for r in data:
        params = r.get("params", {})
        raw = [v for fork in r["primaryMetric"]["rawData"] for v in fork]
        gc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        cpu = r.get("secondaryMetrics", {}).get("cpu.time.per.op")
        cpu_raw = [v for fork in cpu["rawData"] for v in fork] if cpu else None
        yield {
            "cpu_median": statistics.median(cpu_raw) if cpu_raw else None,
            "benchmark": r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1],
            "params": params,
            "unit": r["primaryMetric"]["scoreUnit"],
            "median": statistics.median(raw),
            "min": min(raw),
            "max": max(raw),
            "n": len(raw),
            "alloc": None if gc is None else gc["score"],
        }


def main(argv):
    markdown = "--markdown" in argv
    paths = [a for a in argv if not a.startswith("--")]
    out = [r for p in paths for r in rows(p)]
    if markdown:
        print("| benchmark | params | wall median | wall min | wall max | CPU median | unit | alloc B/op |")
        print("|---|---|---:|---:|---:|---:|---|---:|")
    for r in out:
        params = " ".join(f"{k}={v}" for k, v in r["params"].items())
        alloc = "" if r["alloc"] is None else f"{r['alloc']:.3f}"
        cpu = "" if r["cpu_median"] is None else f"{r['cpu_median']:.3f}"
        if markdown:
            print(f"| {r['benchmark']} | {params} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {cpu} | {r['unit']} | {alloc} |")
        else:
            print(f"{r['benchmark']:<40} {params:<30} median {r['median']:>10.3f} min {r['min']:>10.3f} "
                  f"max {r['max']:>10.3f} cpu {cpu:>10} {r['unit']:<6} n={r['n']} {('alloc ' + alloc + ' B/op') if alloc else ''}")


if __name__ == "__main__":
    main(sys.argv[1:])
