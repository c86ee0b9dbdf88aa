#!/usr/bin/env bash
# The main job end to end: install, start Kafka (and PostgreSQL if down), build, migrate a demo
# database, run the service and the demo (scripts/demo.ts). Kafka keeps running afterwards
# (npm run kafka:stop stops it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
bash scripts/ensure-postgres.sh
bash scripts/kafka.sh start
npm run --silent build >/dev/null
exec npx tsx scripts/demo.ts
