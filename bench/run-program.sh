#!/usr/bin/env bash
# Runs one of bench's measurement programs on this worktree's classes, e.g. the drift experiments of
# docs/drift.md (minutes on one core; not tests):
#
#   bench/run-program.sh io.streamgru.bench.drift.DriftExperiment [detectors|policies|sine|sine-long|all] [seeds...]
#   bench/run-program.sh io.streamgru.bench.drift.DemoFleetDriftMeasurement [seeds...]
#   bench/run-program.sh io.streamgru.bench.e2e.LearnerPathProbe [records] [keys] [hidden] [window] [rounds]
#
#   env: SKIP_BUILD=1   do not rebuild (else: mvnw package, never install);  JAVA_OPTS (default -Xmx2g)
# The output goes to stdout only (the e2e scripts keep theirs in bench/out/).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 1 ]]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
source bench/program-classpath.sh # builds (unless SKIP_BUILD=1), sets CP
MAIN=$1
shift
# shellcheck disable=SC2086
exec java --add-modules jdk.incubator.vector ${JAVA_OPTS:--Xmx2g} -cp "$CP" "$MAIN" "$@"
