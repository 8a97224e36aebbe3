#!/usr/bin/env bash
# Replay throughput vs model-core's training rate on the same data, side by side in one JVM with an
# in-JVM KRaft broker (docs/BENCHMARKS.md, "Replay").
#
# Usage:  bench/replay-throughput.sh [--records 200000] [--keys 500] [--partitions 4] [--hidden 32]
#                                    [--features 8] [--window 16] [--repeats 3]
#   env: SKIP_BUILD=1   do not rebuild;  JAVA_OPTS   JVM options (default -Xms1g -Xmx3g)
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/program-classpath.sh # builds (unless SKIP_BUILD=1), sets CP
LOG=bench/out/replay-$(date +%Y%m%d-%H%M%S).txt
echo "# $(date -Is) $(uptime)" | tee "$LOG"
# shellcheck disable=SC2086
java --add-modules jdk.incubator.vector ${JAVA_OPTS:--Xms1g -Xmx3g} -cp "$CP" io.streamgru.bench.e2e.ReplayThroughput "$@" 2>"${LOG%.txt}.stderr.log" | tee -a "$LOG"
echo "# $(date -Is) $(uptime)" | tee -a "$LOG"
echo "# saved in $LOG"
