#!/usr/bin/env bash
# Validates docker-compose.yml with Compose's own parser (Debian's docker-compose; no engine needed),
# in each of the README's setups: no profile, --profile monitoring, and the cluster (profile
# cluster with docker-compose.cluster.yml). The service's `env_file: .env` needs a .env, so the
# files are checked in a scratch folder with one, and with none of this shell's variables.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v docker-compose >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "[compose] installing Debian's docker-compose (parser only)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose) >/dev/null
  else
    echo "[compose] docker-compose not installed; skipping the syntax check" >&2
    exit 0
  fi
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp docker-compose.yml docker-compose.cluster.yml "$dir/"
check() {
  printf 'RIFT_SECRET_KEY=%064d\n%s' 0 "$2" > "$dir/.env"
  (cd "$dir" && env -i PATH="$PATH" docker-compose config -q) || { echo "[compose] $1: invalid" >&2; exit 1; }
}
check "default" ""
check "profile monitoring" $'COMPOSE_PROFILES=monitoring\n'
check "profile cluster + docker-compose.cluster.yml" $'COMPOSE_PROFILES=cluster\nCOMPOSE_FILE=docker-compose.yml:docker-compose.cluster.yml\n'
echo "[compose] docker-compose.yml is valid (default, monitoring, cluster)" >&2
