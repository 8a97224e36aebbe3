#!/usr/bin/env bash
# Latency from produce to committed forecast: StreamGRU on an in-JVM broker fed at a fixed rate
# (docs/benchmarks-e2e.md, "Latency").
#
# Usage:  bench/e2e-latency.sh [--rate 1000] [--seconds 120] [--warmup-seconds 30] [--guarantee exactly_once_v2]
#                              [--keys 1000 --partitions 4 --hidden 64 --features 6] [--set key=value]…
#   env: SKIP_BUILD=1   do not rebuild (else: mvnw package, never install);  JAVA_OPTS (default -Xms1g -Xmx4g)
# Output: the percentiles and the app's counters; also saved in bench/out/latency-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/program-classpath.sh # builds (unless SKIP_BUILD=1), sets CP
LOG=bench/out/latency-$(date +%Y%m%d-%H%M%S).txt
echo "# $(date -Is) $(uptime)" | tee "$LOG"
# shellcheck disable=SC2086
java --add-modules jdk.incubator.vector ${JAVA_OPTS:--Xms1g -Xmx4g} -cp "$CP" io.streamgru.bench.e2e.EndToEndLatency "$@" 2>"${LOG%.txt}.stderr.log" \
    | tee -a "$LOG"
echo "# $(date -Is) $(uptime)" | tee -a "$LOG"
echo "# saved in $LOG"
