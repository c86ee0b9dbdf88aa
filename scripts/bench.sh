#!/usr/bin/env bash
# npm run bench [-- --quick] [-- --only throughput,isolation]: installs what is missing, starts
# PostgreSQL (if down) and Kafka (stopping it afterwards if it started it), builds, and runs the
# benchmark scenarios (bench/run.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
bash scripts/ensure-postgres.sh
started_kafka=no
bash scripts/kafka.sh status >/dev/null 2>&1 || started_kafka=yes
trap '[[ "$started_kafka" == yes ]] && bash scripts/kafka.sh stop || true' EXIT
bash scripts/kafka.sh start
node scripts/kafka-clean.mjs
npm run --silent build >/dev/null
npx tsx bench/run.ts "$@"
