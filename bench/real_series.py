#!/usr/bin/python3
"""Real measured series for StreamGRU's `evaluate` (see docs/benchmarks-defaults.md).

Exports, under bench/out/ (git-ignored: the data is never committed, only this script), one CSV
per series with the columns `t,key,value[,features]` (a missing value is an empty cell), and
appends one line per series to bench/out/series.tsv (name, kind, file, evaluate arguments), the
list bench/choose-defaults.sh runs.

Sources: Debian packages only, no network at run time.
  python3-statsmodels  (statsmodels.datasets)  co2, elnino, nile
  r-base-core          (R's datasets package)  sunspot.month, treering, nottem, airquality, beaver1/2

  co2_weekly     Mauna Loa atmospheric CO2 (ppm), weekly 1958-2001, 2,284 rows, 59 missing
  sunspot_month  monthly mean relative sunspot number, 1749-2013, 3,177 rows
  treering       Great Basin bristlecone pine ring widths (normalised), annual, 7,980 rows
  elnino_sst     El Nino region sea-surface temperature (deg C), monthly 1950-2010, 732 rows
  nottem         air temperature at Nottingham Castle (deg F), monthly 1920-1939, 240 rows
  nile           annual flow of the Nile at Aswan (1e8 m^3), 1871-1970, 100 rows
  airquality     daily ozone (ppb) in New York, May-Sep 1973, 153 rows, 37 missing targets;
                 features: solar radiation (7 missing), wind, temperature
  beavers        body temperature (deg C) of two beavers every 10 minutes: keys beaver1
                 (114 rows) and beaver2 (100 rows), feature activ (outside the lodge, 0/1).
                 The two were recorded on different days; t is minutes since each animal's first
                 reading, and the rows of both keys are interleaved by t, as two sensors streaming
                 at once into one shared model (multi-key)

Usage: apt-get install -y python3-statsmodels r-base-core
       /usr/bin/python3 bench/real_series.py [OUT_DIR]
A source whose package is missing is skipped with a message; the others are still written.
"""
import csv
import io
import math
import os
import shutil
import subprocess
import sys


def fmt(v):
    if v is None:
        return ""
    if isinstance(v, float) and not math.isfinite(v):
        return ""
    return repr(float(v)) if isinstance(v, float) else str(v)


def write_csv(out, name, header, rows):
    path = os.path.join(out, name + ".csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(v) for v in r])
    print(f"wrote {path} ({len(rows)} rows)")
    return name + ".csv"


def r_csv(expr):
    """Evaluates an R expression that yields a data.frame and returns its rows as dicts."""
    code = f"options(digits=15); d <- {expr}; write.csv(d, stdout(), row.names=FALSE, na='')"
    text = subprocess.run(["Rscript", "--vanilla", "-e", code], check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(text)))


def num(s):
    return float(s) if s not in ("", "NA", None) else None


def statsmodels_series(out):
    try:
        import statsmodels.api as sm
    except ImportError:
        print("statsmodels missing (apt-get install python3-statsmodels): skipping co2_weekly, elnino_sst, nile",
              file=sys.stderr)
        return []
    made = []

    co2 = sm.datasets.co2.load_pandas().data["co2"]
    rows = [(i, "mauna_loa", float(v)) for i, v in enumerate(co2.values)]
    made.append(("co2_weekly", write_csv(out, "co2_weekly", ["t", "key", "value"], rows), "--target value"))

    el = sm.datasets.elnino.load_pandas().data
    months = [c for c in el.columns if c != "YEAR"]
    rows = []
    for _, rec in el.iterrows():
        for m in months:
            rows.append((len(rows), "nino", float(rec[m])))
    made.append(("elnino_sst", write_csv(out, "elnino_sst", ["t", "key", "value"], rows), "--target value"))

    nile = sm.datasets.nile.load_pandas().data
    rows = [(int(y), "aswan", float(v)) for y, v in zip(nile["year"], nile["volume"])]
    made.append(("nile", write_csv(out, "nile", ["t", "key", "value"], rows), "--target value"))
    return made


def r_series(out):
    if shutil.which("Rscript") is None:
        print("Rscript missing (apt-get install r-base-core): skipping sunspot_month, treering, nottem, "
              "airquality, beavers", file=sys.stderr)
        return []
    made = []
    for name, ds, key in (("sunspot_month", "sunspot.month", "sidc"), ("treering", "treering", "great_basin"),
                          ("nottem", "nottem", "nottingham")):
        d = r_csv(f"data.frame(t=seq_along({ds}), value=as.numeric({ds}))")
        rows = [(int(r["t"]), key, num(r["value"])) for r in d]
        made.append((name, write_csv(out, name, ["t", "key", "value"], rows), "--target value"))

    d = r_csv("airquality")
    rows = [(i, "new_york", num(r["Ozone"]), num(r["Solar.R"]), num(r["Wind"]), num(r["Temp"]))
            for i, r in enumerate(d)]
    made.append(("airquality", write_csv(out, "airquality", ["t", "key", "value", "solar", "wind", "temp"], rows),
                 "--target value --features solar,wind,temp"))

    rows = []
    for key in ("beaver1", "beaver2"):
        start = None
        for r in r_csv(key):
            day, hhmm = int(r["day"]), int(r["time"])  # day of year, time as hhmm
            minutes = day * 1440 + (hhmm // 100) * 60 + hhmm % 100
            start = minutes if start is None else start
            rows.append((minutes - start, key, num(r["temp"]), num(r["activ"])))
    rows.sort(key=lambda r: (r[0], r[1]))
    made.append(("beavers", write_csv(out, "beavers", ["t", "key", "value", "activ"], rows),
                 "--target value --key key --features activ"))
    return made


def write_manifest(out, made):
    path = os.path.join(out, "series.tsv")
    names = {m[0] for m in made}
    kept = []
    if os.path.exists(path):
        with open(path) as f:
            kept = [line for line in f if line.split("\t", 1)[0] not in names]
    with open(path, "w") as f:
        for name, file, args in made:
            f.write(f"{name}\treal\t{file}\t{args}\n")
        f.writelines(kept)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
    os.makedirs(out, exist_ok=True)
    made = statsmodels_series(out) + r_series(out)
    if not made:
        sys.exit("no source available: install python3-statsmodels and/or r-base-core")
    write_manifest(out, made)


if __name__ == "__main__":
    main()
