# Sourced by the scripts that run bench's programs (io.streamgru.bench.e2e, io.streamgru.bench.drift):
# builds this checkout's modules (mvnw package, never install: ~/.m2 is shared; SKIP_BUILD=1 skips it)
# and sets CP to their classes plus the third-party jars. Run from the repository root.
#
# The third-party jars are listed by bench's build itself (bench/pom.xml, execution programs-classpath,
# at package): a fresh clone needs nothing but the README's build command, never an install.

if [[ -z "${SKIP_BUILD:-}" ]]; then
    # Offline first (quiet, no network); online if something is missing from ~/.m2.
    ./mvnw -B -q -o -DskipTests package -pl model-core,schemas,stream-app,bench \
        || ./mvnw -B -q -DskipTests package -pl model-core,schemas,stream-app,bench
fi
CP_FILE=bench/target/programs.classpath
if [[ ! -s $CP_FILE ]]; then
    echo "$CP_FILE is missing: build first (./mvnw -q -DskipTests package), or run without SKIP_BUILD" >&2
    exit 1
fi
mkdir -p bench/out
# This checkout's modules, never the io.streamgru snapshots in ~/.m2 (other checkouts install theirs there).
# model-core's test classes: the drift harnesses DriftExperiment runs (FleetRun, SineRun, PolicyForecaster).
# Absolute, so a program that changes its working directory (or a JVM started elsewhere with $CP) still finds them.
CP="$PWD/bench/target/classes:$PWD/stream-app/target/classes:$PWD/model-core/target/classes:$PWD/model-core/target/test-classes:$PWD/schemas/target/classes:$(cat "$CP_FILE")"
