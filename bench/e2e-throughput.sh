#!/usr/bin/env bash
# End-to-end throughput: StreamGRU vs two pass-through Kafka Streams apps (stateless, and one with the
# same key-state store), side by side in one JVM with an in-JVM KRaft broker (docs/benchmarks-e2e.md).
#
# Usage:  bench/e2e-throughput.sh [harness options]
#   --records 200000 --keys 1000 --partitions 4 --hidden 64 --features 6 (I = 6 + 2 autoregressive = 8)
#   --repeats 3 --guarantees exactly_once_v2[,at_least_once] --variants streamgru,passthrough,stateless
#                  (passthrough: a pass-through with the same key-state store; stateless: read, map, write)
#   --jfr DIR      also record each run with JFR (profile settings, 10 ms samples) into DIR
#   --set key=value   any StreamGRU setting for every variant' configuration (e.g. learner.window=64)
#   env: MAIN=class   run another main on the same classpath (e.g. io.streamgru.bench.e2e.LearnerPathProbe)
#        SKIP_BUILD=1   do not rebuild (else: mvnw package, never install);  JAVA_OPTS   JVM options (default -Xms1g -Xmx4g)
#        LOG4J=bench/e2e-log4j2.properties   Kafka Streams' INFO logs (in the .stderr.log)
# Output: progress lines, one TSV line per run, a Markdown table; also saved in bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/program-classpath.sh # builds (unless SKIP_BUILD=1), sets CP
LOG=bench/out/e2e-$(date +%Y%m%d-%H%M%S).txt
echo "# $(date -Is) $(uptime)" | tee "$LOG"
echo "# CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), nproc $(nproc)" | tee -a "$LOG"
ERR=${LOG%.txt}.stderr.log
set +e
# shellcheck disable=SC2086
java --add-modules jdk.incubator.vector ${JAVA_OPTS:--Xms1g -Xmx4g} ${LOG4J:+-Dlog4j2.configurationFile=$LOG4J} -cp "$CP" "${MAIN:-io.streamgru.bench.e2e.EndToEndThroughput}" "$@" 2>"$ERR" | tee -a "$LOG"
rc=${PIPESTATUS[0]}
set -e
echo "# $(date -Is) $(uptime)" | tee -a "$LOG"
if (( rc != 0 )); then
    echo "failed (exit $rc); the last lines of $ERR:" >&2
    tail -40 "$ERR" >&2
    exit "$rc"
fi
echo "# saved in $LOG (logs: $ERR)"
