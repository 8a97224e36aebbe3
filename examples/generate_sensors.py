#!/usr/bin/env python3
"""Writes examples/sensors.csv: three simulated room sensors, hourly, with a daily cycle, a weekly
occupancy pattern, a slow drift, noise, a few gaps and one level shift. Deterministic (seeded)."""
import csv
import math
import random
import sys

random.seed(2026)
out = sys.argv[1] if len(sys.argv) > 1 else "sensors.csv"
hours = 24 * 7 * 24  # 24 weeks
rows = []
for sensor, (base, amp, lag) in {"room-a": (21.0, 2.5, 0), "room-b": (19.5, 3.5, 2), "server-c": (27.0, 1.5, 5)}.items():
    humidity = 45.0
    for t in range(hours):
        day = 2 * math.pi * (t - lag) / 24
        weekday = (t // 24) % 7 < 5
        occupancy = 1.0 if weekday and 8 <= t % 24 < 18 else 0.0
        humidity += 0.05 * (50 - humidity) + random.gauss(0, 0.8)
        shift = 2.0 if sensor == "room-b" and t > hours * 2 // 3 else 0.0  # a heater is replaced
        temp = (base + amp * math.sin(day) + 1.2 * occupancy + 0.0002 * t + shift
                + 0.02 * (humidity - 45) + random.gauss(0, 0.15))
        temp_cell = f"{temp:.3f}" if random.random() > 0.002 else ""
        hum_cell = f"{humidity:.2f}" if random.random() > 0.002 else ""
        rows.append((t, sensor, f"{occupancy:.0f}", hum_cell, temp_cell))
rows.sort(key=lambda r: (r[0], r[1]))
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["hour", "sensor", "occupancy", "humidity", "temperature"])
    w.writerows(rows)
