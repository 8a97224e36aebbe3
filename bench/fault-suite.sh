#!/usr/bin/env bash
# The fault suite, full version (docs/RELIABILITY.md): Kafka 4.3.1 brokers and `streamgru run` as
# separate processes, killed with kill -9 and restarted while a stream of keyed readings flows; the
# poison cases on a real broker; an audit of the forecasts with read_committed.
#
# Usage:  bench/fault-suite.sh [short|full]        (default full; `./mvnw -B verify` runs the short one)
#   Any further arguments go to Maven, e.g. -o (offline) or -Dtest='FaultSuiteTest#poison*'.
# Output: Maven's test report, then the results table (also in stream-app/target/fault-suite.md).
# Takes ~9 minutes (full), ~2.5 (short) on two cores; starts up to 3 brokers and the app, all on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
shift || true
status=0
./mvnw -B -pl stream-app -am verify -Dfaults="$mode" -Dtest='FaultSuiteTest' -Dsurefire.failIfNoSpecifiedTests=false \
    "$@" || status=$?
echo
cat stream-app/target/fault-suite.md 2>/dev/null || echo "(no results: the suite did not run)"
exit $status
