#!/usr/bin/env bash
# Makes sure a real Prometheus server is installed for the scrape test (test/monitoring.e2e-spec.ts):
# Debian's package, installed by apt when missing and running as root. The test starts its own
# server on a free port; the package's own service is not used.
set -euo pipefail
if command -v prometheus >/dev/null 2>&1; then exit 0; fi
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "[prometheus] installing Debian's prometheus package" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >/dev/null
  # The package starts its own server where it can; the test does not need it.
  (command -v systemctl >/dev/null && systemctl stop prometheus) >/dev/null 2>&1 || true
  pkill -x prometheus >/dev/null 2>&1 || true
else
  echo "[prometheus] prometheus is not installed (apt-get install prometheus); the scrape test will fail in CI and be skipped elsewhere" >&2
fi
