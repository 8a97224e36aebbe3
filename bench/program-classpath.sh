# Sourced by the scripts that run bench's programs (io.streamgru.bench.e2e, io.streamgru.bench.drift):
# builds this worktree's modules (mvnw package, never install: ~/.m2 is shared; SKIP_BUILD=1 skips it)
# and sets CP to their classes plus the third-party jars. Run from the repository root.
#
# The third-party jars are stream-app's (test scope, as the programs had when they lived in its test
# tree): bench's own list cannot be resolved offline without installing model-core's test-jar, and the
# programs need none of bench's own dependencies (JMH).

if [[ -z "${SKIP_BUILD:-}" ]]; then
    ./mvnw -B -q -o -DskipTests package -pl model-core,schemas,stream-app,bench
fi
mkdir -p bench/out
CP_FILE=bench/out/e2e.classpath
if [[ ! -s $CP_FILE || stream-app/pom.xml -nt $CP_FILE || pom.xml -nt $CP_FILE ]]; then
    ./mvnw -B -q -o -pl stream-app dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$PWD/$CP_FILE"
fi
# This worktree's modules, never the io.streamgru snapshots in ~/.m2 (other checkouts install theirs there).
# model-core's test classes: the drift harnesses DriftExperiment runs (FleetRun, SineRun, PolicyForecaster).
DEPS=$(tr ':' '\n' < "$CP_FILE" | grep -v '/io/streamgru/' | paste -sd: -)
CP="bench/target/classes:stream-app/target/classes:model-core/target/classes:model-core/target/test-classes:schemas/target/classes:$DEPS"
