# Shared settings of twinlog's scripts: where things are, which ports, small helpers.
# Every value can be changed with the environment variable of the same name.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TWINLOG_WORK=${TWINLOG_WORK:-$ROOT/work}

TWINLOG_KAFKA_PORT=${TWINLOG_KAFKA_PORT:-9092}
TWINLOG_KAFKA_CONTROLLER_PORT=${TWINLOG_KAFKA_CONTROLLER_PORT:-9093}
TWINLOG_REGISTRY_PORT=${TWINLOG_REGISTRY_PORT:-8085}
TWINLOG_FLINK_PORT=${TWINLOG_FLINK_PORT:-8081}
TWINLOG_FLINK_RPC_PORT=${TWINLOG_FLINK_RPC_PORT:-6123}
TWINLOG_READ_SIDE_PORT=${TWINLOG_READ_SIDE_PORT:-8090}

TWINLOG_BOOTSTRAP="localhost:$TWINLOG_KAFKA_PORT"
TWINLOG_REGISTRY_URL="http://localhost:$TWINLOG_REGISTRY_PORT"
TWINLOG_FLINK_URL="http://localhost:$TWINLOG_FLINK_PORT"
TWINLOG_READ_SIDE_URL="http://localhost:$TWINLOG_READ_SIDE_PORT"

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

LIB_KAFKA=$ROOT/local-stack/kafka/target/lib
LIB_FLINK=$ROOT/local-stack/flink/target/lib
LIB_REGISTRY=$ROOT/local-stack/registry/target/lib
# The project's version, from the root pom (its first <version>), names the job jar.
VERSION=$(sed -n '0,/<version>/s#.*<version>\(.*\)</version>.*#\1#p' "$ROOT/pom.xml")
JOB_JAR=$ROOT/pipeline-jobs/target/twinlog-pipeline-jobs-$VERSION-job.jar
CLI_JAR=$ROOT/cli/target/twinlog-cli.jar
BENCH_JAR=$ROOT/benchmarks/target/twinlog-benchmarks.jar

# A stack made with 'scripts/stack up --secure' stays secured: its registry and read side speak
# HTTPS, and the CLI and the jobs it submits use the client settings the stack generated
# (docs/SECURITY.md).
if [ -f "$TWINLOG_WORK/secure/enabled" ]; then
  TWINLOG_REGISTRY_URL="https://localhost:$TWINLOG_REGISTRY_PORT"
  TWINLOG_READ_SIDE_URL="https://localhost:$TWINLOG_READ_SIDE_PORT"
  export TWINLOG_COMMAND_CONFIG=${TWINLOG_COMMAND_CONFIG:-$TWINLOG_WORK/secure/admin.properties}
  export TWINLOG_JOB_CONFIG=${TWINLOG_JOB_CONFIG:-$TWINLOG_WORK/secure/job.conf}
  # The CLI's history, as-of and verify-read-side ask the read side as the console's user.
  console_user_info='console:${file:'"$TWINLOG_WORK"'/secure/console.secret:password}'
  export TWINLOG_READ_SIDE_USER_INFO=${TWINLOG_READ_SIDE_USER_INFO:-$console_user_info}
  export TWINLOG_READ_SIDE_CA=${TWINLOG_READ_SIDE_CA:-$TWINLOG_WORK/secure/ca.pem}
fi

# What the harnesses (scripts/bench, scripts/drills) and the CLI need to know about the stack.
export TWINLOG_ROOT=$ROOT TWINLOG_WORK TWINLOG_BOOTSTRAP TWINLOG_REGISTRY_URL TWINLOG_FLINK_URL TWINLOG_READ_SIDE_URL
export TWINLOG_JOB_JAR=${TWINLOG_JOB_JAR:-$JOB_JAR}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Builds what is missing (first run) with Maven; later runs start at once.
ensure_built() {
  local missing=()
  [ -d "$LIB_KAFKA" ] || missing+=(local-stack/kafka)
  [ -d "$LIB_FLINK" ] || missing+=(local-stack/flink)
  [ -d "$LIB_REGISTRY" ] || missing+=(local-stack/registry)
  [ -f "$JOB_JAR" ] || missing+=(pipeline-jobs)
  [ -f "$CLI_JAR" ] || missing+=(cli)
  if [ ${#missing[@]} -gt 0 ]; then
    log "building ${missing[*]} (first run downloads dependencies from Maven Central)"
    (cd "$ROOT" && mvn -q -B -DskipTests package -pl "$(IFS=,; echo "${missing[*]}")" -am) \
      || fail "the build failed; run 'mvn -DskipTests package' in $ROOT to see why"
  fi
}

ensure_streams_built() {
  if [ ! -f "$ROOT/benchmarks/kafka-streams/target/twinlog-kafka-streams-baseline.jar" ]; then
    log "building the Kafka Streams baseline (first run)"
    (cd "$ROOT" && mvn -q -B -DskipTests package -pl benchmarks/kafka-streams -am) || fail "the build failed; run 'mvn -DskipTests package' in $ROOT"
  fi
}

ensure_bench_built() {
  if [ ! -f "$BENCH_JAR" ]; then
    log "building the benchmarks (first run)"
    (cd "$ROOT" && mvn -q -B -DskipTests package -pl benchmarks -am) || fail "the build failed; run 'mvn -DskipTests package' in $ROOT"
  fi
}

# The JVM flags Flink needs on Java 17, as listed in flink-conf/config.yaml (env.java.opts.all).
java_17_opts() {
  sed -n 's/^ *all: *\(--add-.*\)$/\1/p' "$ROOT/flink-conf/config.yaml"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
