#!/usr/bin/env bash
# Rules backtest: another build's CLI (OLD_CLI_JAR, e.g. built from a worktree of an older commit)
# against this one, alternately on one log, on a stack of its own (ports 2xxxx, work/bt).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OLD_CLI_JAR=${OLD_CLI_JAR:?the CLI jar of the build to compare with}
cd "$ROOT"
export TWINLOG_WORK=$ROOT/work/bt TWINLOG_KAFKA_PORT=29092 TWINLOG_KAFKA_CONTROLLER_PORT=29093 \
  TWINLOG_REGISTRY_PORT=28085 TWINLOG_FLINK_PORT=28081 TWINLOG_FLINK_RPC_PORT=26123 \
  TWINLOG_READ_SIDE=off TWINLOG_READ_SIDE_PORT=28090
export TWINLOG_RULES=$ROOT/scripts/conf/alert-rules.json
export TWINLOG_BOOTSTRAP=localhost:29092 TWINLOG_REGISTRY_URL=http://localhost:28085 TWINLOG_FLINK_URL=http://localhost:28081
scripts/stack clean --yes >/dev/null 2>&1 || true
scripts/stack up >/dev/null
trap 'scripts/stack down >/dev/null' EXIT
scripts/twinlog topics create >/dev/null
scripts/twinlog simulate --devices 10000 --rate 40000 --duration 15s --quiet
sed 's/"high": 80,/"high": 81,/' scripts/conf/alert-rules.json > /tmp/v1.json
scripts/twinlog rules publish /tmp/v1.json --comment bench
scripts/twinlog simulate --devices 10000 --rate 40000 --duration 15s --quiet --seed 7
python3 - <<'PY'
import json
r=json.load(open('$ROOT/scripts/conf/alert-rules.json'))
for rule in r['rules']:
    if rule['id']=='temperature-high': rule['high']=82
r['rules'].append({"id":"temperature-rising-fast","metric":"temperature","risesFaster":60})
json.dump(r, open('/tmp/cand.json','w'))
PY
echo "max.poll.records=5000" > /tmp/bt.properties
opts=$(sed -n 's/^ *all: *\(--add-.*\)$/\1/p' flink-conf/config.yaml)
for round in 1 2; do
  for build in old new; do
    jar=$ROOT/cli/target/twinlog-cli.jar
    [ $build = old ] && jar=$OLD_CLI_JAR
    start=$(date +%s.%N)
    line=$(/usr/bin/time -f "cpu %U user %S sys maxrss %M KB" java $opts -XX:+UseParallelGC -jar $jar rules backtest /tmp/cand.json --command-config /tmp/bt.properties 2>&1 >/tmp/bt-$build-$round.out | grep -E '^read |^cpu ' | tr '\n' ' ' || true)
    echo "round $round $build: $line"
  done
done
