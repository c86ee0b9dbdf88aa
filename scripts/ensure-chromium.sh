#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the console's browser test (test/console.e2e-spec.ts,
# driven by playwright-core with executablePath /usr/bin/chromium). A browser build is never
# downloaded (no `playwright install`): only the distribution's package. Quick when installed.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then exit 0; fi
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "[chromium] installing Debian's chromium package" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
else
  echo "[chromium] /usr/bin/chromium is missing (apt-get install chromium); the console browser test will fail" >&2
fi
