#!/usr/bin/env bash
# Key cardinality: `streamgru run` as its own process (one instance) over 1 k / 10 k / 100 k (/ 1 M) keys
# x 5 readings each, against an in-JVM KRaft broker in the harness's JVM (docs/BENCHMARKS.md, "Key cardinality").
# Reports per key count: throughput, peak RSS and heap of the app's process, the state's size on disk and
# in the key-state changelog, and the time to work again after a restart with the state kept and with it
# restored from the changelog.
#
# Usage:  bench/key-cardinality.sh [options]
#   --keys 1000,10000,100000   key counts, run in turn (1000000 for the issue's million: ~30+ min on 2 cores)
#   --records-per-key 5 --partitions 4 --hidden 64 --features 6 (I = 6 + 2 autoregressive = 8)
#   --app-jvm "-Xmx1g"         the app's JVM options    --timeout 3600   seconds per phase
#   --set key=value            any StreamGRU setting for the app (e.g. learner.key.ttl=1h)
#   env: SKIP_BUILD=1   do not rebuild (else: mvnw package, never install);  JAVA_OPTS   the harness's (broker's) JVM
# Output: progress lines, one TSV line per key count, a Markdown table; also saved in bench/out/ (the app's
# logs: bench/out/keys-*.app.log).
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/program-classpath.sh # builds (unless SKIP_BUILD=1), sets CP
LOG=bench/out/keys-$(date +%Y%m%d-%H%M%S).txt
echo "# $(date -Is) $(uptime)" | tee "$LOG"
echo "# CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), nproc $(nproc)" | tee -a "$LOG"
ERR=${LOG%.txt}.stderr.log
set +e
# shellcheck disable=SC2086
java --add-modules jdk.incubator.vector ${JAVA_OPTS:--Xms512m -Xmx3g} ${LOG4J:+-Dlog4j2.configurationFile=$LOG4J} -cp "$CP" io.streamgru.bench.e2e.KeyCardinality "$@" \
    2> >(tee "$ERR" | grep --line-buffered '^progress' >&2) | tee -a "$LOG"
rc=${PIPESTATUS[0]}
set -e
echo "# $(date -Is) $(uptime)" | tee -a "$LOG"
if (( rc != 0 )); then
    echo "failed (exit $rc); the last lines of $ERR:" >&2
    tail -40 "$ERR" >&2
    exit "$rc"
fi
echo "# saved in $LOG (logs: $ERR)"
