#!/usr/bin/env bash
# Installs everything and runs every test (unit; store specs against real PostgreSQL in process;
# end-to-end against real Kafka, PostgreSQL and an HTTPS receiver). Starts PostgreSQL if it is down and Kafka if it is not running, and stops
# what it started. This is the README's test command and what .ci/run runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "[test] $*" >&2; }

if [[ "${CI:-}" == "true" || ! -d node_modules ]]; then
  say "installing dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ "${CI:-}" == "true" || ! -d infra/prisma6/node_modules ]]; then
  npm ci --prefix infra/prisma6 --no-audit --no-fund --loglevel=error
fi

bash scripts/ensure-postgres.sh

started_kafka=no
if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
  started_kafka=yes
fi
cleanup() {
  if [[ "$started_kafka" == yes ]]; then bash scripts/kafka.sh stop || true; fi
}
trap cleanup EXIT
bash scripts/kafka.sh start
node scripts/kafka-clean.mjs

say "building"
npm run --silent build

say "docker-compose.yml syntax"
bash scripts/check-compose.sh

say "Prometheus for the scrape test"
bash scripts/ensure-prometheus.sh

say "kcat and python3-confluent-kafka for the non-Node producer test"
bash scripts/ensure-producer-clients.sh

say "Debian's chromium for the console browser test"
bash scripts/ensure-chromium.sh

say "AsyncAPI document (docs/asyncapi.json) with @asyncapi/parser"
node scripts/check-asyncapi.mjs docs/asyncapi.json

say "running tests"
# Every project of jest.config.js but the cluster one: unit, store, e2e, chaos (the store tier needs
# the Prisma client that the build generated, and PostgreSQL; not Kafka).
# --forceExit: a failed test must not leave the run hanging on a service it could not stop (the
# services themselves are killed when the test process exits, see test/support/service.ts).
NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand --forceExit "$@"
