#!/usr/bin/env bash
# Replay throughput vs model-core's training rate on the same data, side by side in one JVM with an
# in-JVM KRaft broker (docs/BENCHMARKS.md, "Replay").
#
# Usage:  bench/replay-throughput.sh [--records 200000] [--keys 500] [--partitions 4] [--hidden 32]
#                                    [--features 8] [--window 16] [--repeats 3]
#   env: SKIP_BUILD=1   do not rebuild;  JAVA_OPTS   JVM options (default -Xms1g -Xmx3g)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${SKIP_BUILD:-}" ]]; then
    ./mvnw -B -q -o -pl stream-app -am -DskipTests test-compile
fi
mkdir -p bench/out
CP_FILE=bench/out/e2e.classpath
if [[ ! -s $CP_FILE || stream-app/pom.xml -nt $CP_FILE || pom.xml -nt $CP_FILE ]]; then
    ./mvnw -B -q -o -pl stream-app dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$PWD/$CP_FILE"
fi
# This worktree's modules, never the io.streamgru snapshots in ~/.m2.
DEPS=$(tr ':' '\n' < "$CP_FILE" | grep -v '/io/streamgru/' | paste -sd: -)
CP="stream-app/target/test-classes:stream-app/target/classes:model-core/target/classes:schemas/target/classes:$DEPS"
LOG=bench/out/replay-$(date +%Y%m%d-%H%M%S).txt
echo "# $(date -Is) $(uptime)" | tee "$LOG"
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xms1g -Xmx3g} -cp "$CP" io.streamgru.app.bench.ReplayThroughput "$@" 2>"${LOG%.txt}.stderr.log" | tee -a "$LOG"
echo "# $(date -Is) $(uptime)" | tee -a "$LOG"
echo "# saved in $LOG"
