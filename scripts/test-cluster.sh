#!/usr/bin/env bash
# npm run test:cluster: the cluster suite (test/*.cluster-spec.ts) against a 3-node KRaft cluster
# from scripts/kafka.sh. If no cluster node is running it starts a fresh one (its data directory
# removed first, so the start is a cold start, timed into .tmp/cluster-start.json) and stops it at
# the end; a cluster that is already running is used as it is.
#
# Environment: KAFKA_CLUSTER_BASE_PORT (9092: brokers on 9092-9094) and RIFT_KAFKA_HOME, as for
# scripts/kafka.sh; anything else is passed to jest ("$@").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { echo "[test:cluster] $*" >&2; }

# In CI scripts/test.sh has just installed everything; alone, install what is missing.
if [[ ! -d node_modules ]]; then
  say "installing dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
[[ -d infra/prisma6/node_modules ]] || npm ci --prefix infra/prisma6 --no-audit --no-fund --loglevel=error
bash scripts/ensure-postgres.sh

base="${KAFKA_CLUSTER_BASE_PORT:-9092}"
home="${RIFT_KAFKA_HOME:-$HOME/.cache/rift-kafka}"
export KAFKA_BROKERS="127.0.0.1:$base,127.0.0.1:$((base + 1)),127.0.0.1:$((base + 2))"
running=no
for pidfile in "$home/cluster-$base"/node-*/kafka.pid; do
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null && running=yes
done
started=no
cleanup() {
  if [[ "$started" == yes ]]; then
    for n in 1 2 3; do bash scripts/kafka.sh stop --node "$n" || true; done
  fi
}
trap cleanup EXIT
mkdir -p .tmp
if [[ "$running" == no ]]; then
  for port in "$base" $((base + 1)) $((base + 2)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      say "127.0.0.1:$port is taken (the single-node Kafka? npm run kafka:stop); the cluster needs $base-$((base + 2))"; exit 1
    fi
  done
  rm -rf "$home/cluster-$base"
  started=yes
  t0=$(date +%s%3N)
  bash scripts/kafka.sh start --nodes 3
  ms=$(( $(date +%s%3N) - t0 ))
  secs="$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  say "cold start of the 3-node cluster: $secs s"
  echo "{\"nodes\":3,\"seconds\":$secs,\"at\":\"$(date -u +%FT%TZ)\"}" >.tmp/cluster-start.json
else
  say "using the cluster already running on $KAFKA_BROKERS"
  rm -f .tmp/cluster-start.json
fi

say "building"
npm run --silent build

say "running the cluster suite"
RIFT_CLUSTER_TESTS=1 NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects cluster --runInBand --forceExit "$@"
