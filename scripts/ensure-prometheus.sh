#!/usr/bin/env bash
# Makes sure a real Prometheus server is installed for the scrape test (test/monitoring.e2e-spec.ts):
# Debian's package, installed by apt when missing and running as root. The test starts its own
# server on a free port; the package's own service is not used, so it must not start at all.
#
# Debian's maintainer scripts start services through invoke-rc.d / deb-systemd-invoke, and both ask
# /usr/sbin/policy-rc.d first: exit status 101 means "not allowed". Container images usually ship
# one that says so; where there is none, one is put in place for the length of the install and
# removed afterwards. So no prometheus process is started, and none has to be found and stopped by
# name. Where a policy already in place lets services start, the package's own server is stopped
# through its init system, which knows its pid (the init script's pid file, or systemd's unit).
set -euo pipefail
if command -v prometheus >/dev/null 2>&1; then exit 0; fi
if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "[prometheus] prometheus is not installed (apt-get install prometheus); the scrape test will fail in CI and be skipped elsewhere" >&2
  exit 0
fi

policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" ]]; then
  # Ours alone (the marker line), so only ours is removed, whatever happens to the install.
  printf '#!/bin/sh\n# rift ensure-prometheus: no service starts during this install\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'grep -q "^# rift ensure-prometheus" "$policy" 2>/dev/null && rm -f "$policy"' EXIT
  ours=yes
fi
echo "[prometheus] installing Debian's prometheus package" >&2
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >/dev/null
if [[ -z "${ours:-}" ]] && command -v invoke-rc.d >/dev/null 2>&1; then
  # Forbidden by the same policy (exit 101) where it kept the server from starting: then a no-op.
  invoke-rc.d prometheus stop >/dev/null 2>&1 || true
fi
